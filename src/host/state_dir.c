#include "config.h"
#include "host/state_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "host/paths.h"

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

static int
open_error (const char *what, const char *name, struct hr_error *err)
{
  if (errno == ELOOP || errno == ENOTDIR)
    return hr_error_set (err, errno, "%s%s is a symlink or not a directory: refused", what, name);
  return hr_error_set (err, errno, "open %s%s", what, name);
}

int
state_dir_openat (int dirfd, const char *name, bool create, struct hr_error *err)
{
  /* opened first, created only when missing: creation is slow on disk */
  int fd = openat (dirfd, name, DIR_FLAGS);

  if (fd < 0 && errno == ENOENT && create)
    {
      if (mkdirat (dirfd, name, 0700) < 0 && errno != EEXIST)
        return hr_error_set (err, errno, "mkdir %s", name);
      fd = openat (dirfd, name, DIR_FLAGS);
    }
  if (fd < 0)
    return open_error ("", name, err);
  return fd;
}

int
state_dir_open (const char *state_dir, const char *const sub[], size_t n_sub, bool create,
                struct hr_error *err)
{
  int fd = open (state_dir, DIR_FLAGS);

  if (fd < 0 && errno == ENOENT && create)
    {
      /* the directories above state_dir are the administrator's */
      if (path_mkdirs (state_dir, 0700, err) < 0)
        return -1;
      fd = open (state_dir, DIR_FLAGS);
    }
  if (fd < 0)
    return open_error ("state_dir ", state_dir, err);
  for (size_t i = 0; i < n_sub; i++)
    {
      int next = state_dir_openat (fd, sub[i], create, err);
      close (fd);
      if (next < 0)
        return hr_error_wrap (err, "state_dir %s", state_dir);
      fd = next;
    }
  return fd;
}
