#include "config.h"
#include "agent/target.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "host/paths.h"

#define PAGE 4096u

int
target_read_string (pid_t pid, uint64_t addr, char *buf, size_t len)
{
  size_t got = 0;

  while (got + 1 < len)
    {
      /* never across a page the target may not have mapped */
      size_t want = PAGE - (size_t) ((addr + got) % PAGE);
      struct iovec local, remote;
      ssize_t n;

      if (want > len - 1 - got)
        want = len - 1 - got;
      local = (struct iovec){ buf + got, want };
      remote = (struct iovec){ (void *) (uintptr_t) (addr + got), want };
      n = process_vm_readv (pid, &local, 1, &remote, 1, 0);
      if (n <= 0)
        return -1;
      if (memchr (buf + got, '\0', (size_t) n) != NULL)
        return 0;
      got += (size_t) n;
    }
  buf[len - 1] = '\0';
  return -1; /* longer than any path the kernel takes */
}

/* Whether path, in pid's root, is the file the link /proc/PID/... opens:
 * the kernel names a file the target's root cannot reach (runc's exec
 * fifo, opened before pivot_root) by its path on the host. */
static bool
in_target_root (pid_t pid, const char *link, const char *path)
{
  char inside[4200];
  struct stat by_link, by_path;

  snprintf (inside, sizeof inside, "/proc/%d/root%s", (int) pid, path);
  return stat (link, &by_link) == 0 && stat (inside, &by_path) == 0 && by_link.st_dev == by_path.st_dev
         && by_link.st_ino == by_path.st_ino;
}

/* /proc/self/exe and /proc/self/fd/N (as busybox re-executes itself) name
 * the file they link to: that file, as the target sees it. A link to no
 * file of its root (a memfd, a pipe, a file outside it) is left as it
 * is. */
static void
unmagic (pid_t pid, char *path, size_t len)
{
  static const char *const selves[] = { "/proc/self/", "/proc/thread-self/" };
  char link[80], target[4096];
  const char *rest = NULL;
  ssize_t n;

  for (size_t i = 0; rest == NULL && i < sizeof selves / sizeof selves[0]; i++)
    if (strncmp (path, selves[i], strlen (selves[i])) == 0)
      rest = path + strlen (selves[i]);
  if (rest == NULL || !(strcmp (rest, "exe") == 0 || (strncmp (rest, "fd/", 3) == 0 && strchr (rest + 3, '/') == NULL)))
    return;
  snprintf (link, sizeof link, "/proc/%d/%s", (int) pid, rest);
  n = readlink (link, target, sizeof target - 1);
  if (n <= 0 || target[0] != '/' || (size_t) n >= len)
    return;
  target[n] = '\0';
  if (strstr (target, " (deleted)") == NULL && in_target_root (pid, link, target))
    memcpy (path, target, (size_t) n + 1);
}

int
target_resolve (pid_t pid, int dirfd, const char *path, char *out, size_t len)
{
  char link[64], base[4096];
  ssize_t n;

  if (path[0] == '/')
    n = 0;
  else
    {
      if (dirfd == AT_FDCWD)
        snprintf (link, sizeof link, "/proc/%d/cwd", (int) pid);
      else
        snprintf (link, sizeof link, "/proc/%d/fd/%d", (int) pid, dirfd);
      /* the kernel names it as the target sees it, inside its root */
      n = readlink (link, base, sizeof base - 1);
      if (n <= 0 || base[0] != '/')
        return -1;
    }
  base[n > 0 ? n : 0] = '\0';
  if ((size_t) snprintf (out, len, "%s/%s", base, path) >= len)
    return -1;
  {
    cleanup_free char *clean = path_clean (out);
    snprintf (out, len, "%s", clean);
  }
  unmagic (pid, out, len);
  return 0;
}
