/* Who called hardrun, where it changes what hardrun reads or how its
 * answer reads. */
#ifndef HARDRUN_CALLER_H
#define HARDRUN_CALLER_H

#include <stdbool.h>

/* The parent process's name (/proc/PPID/comm) is `comm`. */
bool host_parent_is (const char *comm);
/* The parent is podman or its conmon. */
bool host_caller_is_podman (void);

#endif
