#include "config.h"
#include "host/mcs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <stdint.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "host/state_dir.h"

#define MCS_CATEGORIES 1024
#define MCS_ATTEMPTS 4096

/* state_dir/mcs, never through a symlink (state_dir.h) */
static int
open_dir (const struct mcs_state *st, struct hr_error *err)
{
  const char *sub[1] = { "mcs" };
  return state_dir_open (st->state_dir, sub, 1, true, err);
}

/* "<id>\n<runc root>\n" */
static int
read_owner (int dirfd, const char *name, char *id, size_t id_len, char *root, size_t root_len,
            time_t *mtime)
{
  cleanup_close int fd = openat (dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  char buf[8192];
  ssize_t n;
  struct stat st;
  char *nl, *nl2;

  if (fd < 0 || fstat (fd, &st) < 0)
    return -1;
  *mtime = st.st_mtime;
  n = read (fd, buf, sizeof buf - 1);
  if (n < 0)
    return -1;
  buf[n] = '\0';
  if ((nl = strchr (buf, '\n')) == NULL || (nl2 = strchr (nl + 1, '\n')) == NULL)
    return -2; /* not (yet) written */
  *nl = *nl2 = '\0';
  if (strlen (buf) >= id_len || strlen (nl + 1) >= root_len)
    return -2;
  memcpy (id, buf, strlen (buf) + 1);
  memcpy (root, nl + 1, strlen (nl + 1) + 1);
  return 0;
}

static bool
is_pair_name (const char *name)
{
  unsigned x, y;
  char tail;
  return sscanf (name, "c%u,c%u%c", &x, &y, &tail) == 2 && x < y && y < MCS_CATEGORIES;
}

static bool
runc_knows (const char *root, const char *id)
{
  struct stat st;
  cleanup_free char *path = hr_xasprintf ("%s/%s/state.json", root, id);
  return stat (path, &st) == 0 || errno != ENOENT;
}

/* Walk the pairs: release this container's, or reclaim stale ones. */
static int
sweep (const struct mcs_state *st, int dirfd, bool release_own, struct hr_error *err)
{
  int dup_fd = dup (dirfd);
  DIR *d = dup_fd >= 0 ? fdopendir (dup_fd) : NULL;
  struct dirent *de;
  int freed = 0;

  if (d == NULL)
    {
      if (dup_fd >= 0)
        close (dup_fd);
      return hr_error_set (err, errno, "read %s/mcs", st->state_dir);
    }
  while ((de = readdir (d)) != NULL)
    {
      char id[4096], root[4096];
      time_t mtime = 0;
      bool drop;

      if (!is_pair_name (de->d_name))
        continue;
      switch (read_owner (dirfd, de->d_name, id, sizeof id, root, sizeof root, &mtime))
        {
        case -1:
          continue;
        case -2:
          /* empty: being written now, or its writer died before writing */
          if (!release_own && st->now - mtime > MCS_GRACE_SECONDS && unlinkat (dirfd, de->d_name, 0) == 0)
            freed++;
          continue;
        default:
          break;
        }
      if (release_own)
        drop = st->container_id != NULL && strcmp (id, st->container_id) == 0
               && strcmp (root, st->runc_root) == 0;
      else
        drop = st->now - mtime > MCS_GRACE_SECONDS && !runc_knows (root, id);
      if (drop && unlinkat (dirfd, de->d_name, 0) == 0)
        freed++;
    }
  closedir (d);
  return freed;
}

int
mcs_reclaim (const struct mcs_state *st, struct hr_error *err)
{
  cleanup_close int dirfd = open_dir (st, err);
  cleanup_close int top = -1;
  cleanup_close int lock = -1;

  if (dirfd < 0)
    return -1;
  /* one reclaimer at a time; allocation itself needs no lock. The lock
     file sits in state_dir, reached like everything there (state_dir.h). */
  top = state_dir_open (st->state_dir, NULL, 0, false, err);
  if (top < 0)
    return -1;
  lock = openat (top, "mcs.lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (lock < 0 || flock (lock, LOCK_EX) < 0)
    return hr_error_set (err, errno, "lock %s/mcs.lock", st->state_dir);
  return sweep (st, dirfd, false, err);
}

int
mcs_release (const struct mcs_state *st, struct hr_error *err)
{
  cleanup_close int dirfd = open_dir (st, err);
  if (dirfd < 0)
    return -1;
  return sweep (st, dirfd, true, err);
}

/* Two distinct categories, the lower first. */
static int
random_pair (unsigned *x, unsigned *y, struct hr_error *err)
{
  do
    {
      uint32_t r[2];
      if (getrandom (r, sizeof r, 0) != sizeof r)
        return hr_error_set (err, errno, "getrandom");
      *x = r[0] % MCS_CATEGORIES;
      *y = r[1] % MCS_CATEGORIES;
    }
  while (*x == *y);
  if (*x > *y)
    {
      unsigned t = *x;
      *x = *y;
      *y = t;
    }
  return 0;
}

int
mcs_allocate (const struct mcs_state *st, char level[MCS_LEVEL_MAX], struct hr_error *err)
{
  cleanup_close int dirfd = -1;
  cleanup_free char *owner = NULL;

  if (mcs_reclaim (st, err) < 0)
    return -1;
  dirfd = open_dir (st, err);
  if (dirfd < 0)
    return -1;
  owner = hr_xasprintf ("%s\n%s\n", st->container_id ? st->container_id : "", st->runc_root);

  for (int attempt = 0; attempt < MCS_ATTEMPTS; attempt++)
    {
      unsigned x, y;
      char name[32];
      cleanup_close int fd = -1;
      size_t len = strlen (owner);

      if (random_pair (&x, &y, err) < 0)
        return -1;
      snprintf (name, sizeof name, "c%u,c%u", x, y);
      fd = openat (dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0 && errno == EEXIST)
        continue; /* held by another container: try another pair */
      if (fd < 0)
        return hr_error_set (err, errno, "create %s/mcs/%s", st->state_dir, name);
      if (write (fd, owner, len) != (ssize_t) len || fsync (fd) < 0)
        {
          int e = errno;
          unlinkat (dirfd, name, 0);
          return hr_error_set (err, e, "write %s/mcs/%s", st->state_dir, name);
        }
      snprintf (level, MCS_LEVEL_MAX, "s0:c%u,c%u", x, y);
      return 0;
    }
  return hr_error_set (err, 0, "no free MCS category pair in %s/mcs after %d attempts",
                       st->state_dir, MCS_ATTEMPTS);
}

static int
allocate_from_state (struct mcs_allocator *a, char level[MCS_LEVEL_MAX], struct hr_error *err)
{
  return mcs_allocate (a->data, level, err);
}

/* The pair a launch would take now: one no container holds, taken by no
 * one (check and audit change nothing). */
static int
allocate_preview (struct mcs_allocator *a, char level[MCS_LEVEL_MAX], struct hr_error *err)
{
  const struct mcs_state *st = a->data;
  const char *sub[1] = { "mcs" };
  struct hr_error ignored = { 0 };
  cleanup_close int dirfd = st != NULL ? state_dir_open (st->state_dir, sub, 1, false, &ignored) : -1;

  for (int attempt = 0; attempt < MCS_ATTEMPTS; attempt++)
    {
      unsigned x, y;
      char name[32];

      if (random_pair (&x, &y, err) < 0)
        return -1;
      snprintf (name, sizeof name, "c%u,c%u", x, y);
      if (dirfd >= 0 && faccessat (dirfd, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
        continue;
      snprintf (level, MCS_LEVEL_MAX, "s0:c%u,c%u", x, y);
      return 0;
    }
  return hr_error_set (err, 0, "no free MCS category pair in %s/mcs after %d attempts",
                       st != NULL ? st->state_dir : "?", MCS_ATTEMPTS);
}

void
mcs_allocator_state (struct mcs_allocator *a, struct mcs_state *st)
{
  a->allocate = allocate_from_state;
  a->data = st;
}

void
mcs_allocator_preview (struct mcs_allocator *a, const struct mcs_state *st)
{
  a->allocate = allocate_preview;
  a->data = (void *) st;
}
