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

/* Run the runtime as a child with the caller's argv, stdio and fds, and
 * wait for it: *status is its exit status (128 + the signal that ended
 * it). For the queries hardrun adds a line after (--version, --help). */
int delegate_run (const char *runtime, int argc, char *const argv[], int *status, struct hr_error *err);

/* The runtime reads stdin for what hardrun already read from it (update
 * -r -): give it the same bytes, through a pipe fed by a child. */
int delegate_stdin_from (const char *data, size_t len);

/* A file runc reads by path instead of the caller's (exec -p /dev/stdin):
 * a sealed memfd holding `data`, open without close-on-exec at the lowest
 * free fd >= min_fd, so runc can open /proc/self/fd/N. -1 on failure. */
int delegate_file_from (const char *data, size_t len, int min_fd, struct hr_error *err);

#endif
