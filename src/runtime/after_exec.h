/* Work that runs once this process has become the runtime: a child that
 * shares this process's memory, waits until the exec (or this process's
 * death) and then owns that memory alone. Starting it copies no page
 * tables, so the launch pays a clone and a pipe instead of a fork. */
#ifndef HARDRUN_AFTER_EXEC_H
#define HARDRUN_AFTER_EXEC_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/error.h"

struct child_start;

struct after_exec
{
  pid_t pid;                  /* the waiting child, or 0 */
  int gate_fd;                /* close-on-exec: the child runs when every copy is closed */
  struct child_start *start;  /* what the child runs, until the exec */
};

/* Start fn(arg) in the waiting child; arg, from malloc, is handed over.
 * Everything fn reads must stay as it is until the exec: start this last,
 * right before execv, and do not free what fn uses. fn runs with stdio on
 * /dev/null, no other descriptor open, and its process ends when it
 * returns. Returns 0; or -1 where no process can be started, after running
 * fn(arg) here and now and freeing arg. */
int after_exec_start (struct after_exec *job, void (*fn) (void *), void *arg);

/* The exec failed: stop the child before this process touches its memory
 * again, and free what it was given. */
void after_exec_cancel (struct after_exec *job);

#endif
