/* How a refusal reaches the user through every engine: one error line in
 * runc's --log (JSON or text, as --log-format says), the same message on
 * stderr, exit status 1. */
#ifndef HARDRUN_REFUSAL_H
#define HARDRUN_REFUSAL_H

#include "cli/argv.h"

/* Returns the exit status to use (1). */
int refusal_report (const struct runc_argv *args, const char *msg);

/* A warning line in --log only (never on stdout/stderr): for a command that
 * still goes ahead, such as a passthrough whose decision line was lost. */
void refusal_warn (const struct runc_argv *args, const char *msg);

#endif
