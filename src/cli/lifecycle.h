/* Commands whose line is written once hardrun is the runtime: start and
 * delete, which no profile decides, and a kill, pause or resume that no
 * profile of the configuration refuses. Nothing but argv and the
 * runtime's path is read before the exec; the line (and what the verb adds
 * to it) comes from a process that starts after it (runtime/after_exec.h). */
#ifndef HARDRUN_CLI_LIFECYCLE_H
#define HARDRUN_CLI_LIFECYCLE_H

#include <time.h>

#include "cli/verbs.h"
#include "record/record.h"
#include "spec/json.h"

/* What a verb adds to its line, after the head: rec is the container's
 * record.json (NULL when there is none), at when the command came. */
typedef void (*lifecycle_extend_fn) (struct json *line, const struct runc_argv *args,
                                     const struct json *rec, const struct record_key *key,
                                     const struct timespec *at);

/* Become the runtime; the line is written once this process is it.
 * extend may be NULL. Returns only when the exec fails (reported). */
int lifecycle_become_runtime (const struct verb_call *call, const char *runtime,
                              lifecycle_extend_fn extend);

#endif
