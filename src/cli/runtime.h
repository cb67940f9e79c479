/* The end of every runc verb: the delegate runtime's path and its exec,
 * each failure reported as a refusal (refusal.h). */
#ifndef HARDRUN_CLI_RUNTIME_H
#define HARDRUN_CLI_RUNTIME_H

#include <stdbool.h>

#include "cli/argv.h"
#include "runtime/after_exec.h"

/* The delegate leads back to hardrun (a wrapper of it, say): reported, and
 * *status is the exit status to return. */
bool runtime_loops_back (const struct runc_argv *args, int *status);

/* For a verb that reads nothing else before the exec: the loop guard and
 * the runtime's path (only that key of the configuration). 0, or -1 with
 * *status the exit status of the refusal it reported. Caller frees. */
int runtime_lean_path (const struct runc_argv *args, char **runtime, int *status);

/* Become the runtime, with the caller's argv. Returns only when that
 * fails, with the exit status of the refusal it reported, after
 * cancelling `writer` (NULL: none) before anything else is touched. */
int runtime_become (const struct runc_argv *args, const char *runtime, int argc, char *const argv[],
                    struct after_exec *writer);

#endif
