/* Hand the command to the real runtime: execv of its absolute path with
 * the caller's argv, environment and file descriptors. */
#ifndef HARDRUN_DELEGATE_H
#define HARDRUN_DELEGATE_H

#include <stddef.h>

#include "base/error.h"

/* Set in the delegate's environment: a delegate that leads back to
 * hardrun (a wrapper script, say) is caught instead of looping. */
#define HARDRUN_DELEGATED_ENV "HARDRUN_DELEGATED"

/* Only returns on failure. */
int delegate_exec (const char *runtime, int argc, char *const argv[], struct hr_error *err);

/* The runtime reads stdin for what hardrun already read from it (update
 * -r -): give it the same bytes, through a pipe fed by a child. */
int delegate_stdin_from (const char *data, size_t len);

#endif
