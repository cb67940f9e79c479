/* Reading what a notified syscall names, from the process that made it.
 * The target can change its memory after the read (the notifier's TOCTOU
 * window): what is read here feeds the learned profile only, never a
 * security decision. */
#ifndef HARDRUN_AGENT_TARGET_H
#define HARDRUN_AGENT_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The NUL-terminated string at addr in pid's memory, into buf: 0, or -1. */
int target_read_string (pid_t pid, uint64_t addr, char *buf, size_t len);
/* path as the target resolves it: relative to dirfd (AT_FDCWD: its working
 * directory), made absolute and lexically clean, into out; /proc/self/exe
 * and /proc/self/fd/N as the file they link to. 0, or -1. */
int target_resolve (pid_t pid, int dirfd, const char *path, char *out, size_t len);

#endif
