#include "config.h"
#include "host/rootfs_tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "host/paths.h"

/* enough for any image's directory; beyond it the rest is left out */
#define MAX_ENTRIES 4096

static int
open_in_root (int rootfd, const char *path, int flags, unsigned long long resolve)
{
  struct open_how how = { .flags = (unsigned long long) flags | O_CLOEXEC, .resolve = resolve };

  while (*path == '/')
    path++;
  return (int) syscall (SYS_openat2, rootfd, *path ? path : ".", &how, sizeof how);
}

static char *
fd_path (int fd)
{
  char link[64], buf[PATH_MAX];
  ssize_t n;

  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  n = readlink (link, buf, sizeof buf - 1);
  if (n < 0)
    return NULL;
  buf[n] = '\0';
  return hr_xstrdup (buf);
}

/* `path` with the image's symlinks followed: its longest existing prefix,
 * as the root resolves it, and the rest as written. */
static char *
resolve (int rootfd, const char *root, const char *path)
{
  cleanup_free char *prefix = hr_xstrdup (path);
  size_t root_len = strcmp (root, "/") == 0 ? 0 : strlen (root);

  for (;;)
    {
      cleanup_close int fd = open_in_root (rootfd, prefix, O_PATH, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
      if (fd >= 0)
        {
          cleanup_free char *host = fd_path (fd);
          const char *rest = path + strlen (prefix);
          if (host == NULL || strncmp (host, root, root_len) != 0
              || (host[root_len] != '\0' && host[root_len] != '/'))
            return NULL;
          cleanup_free char *joined = hr_xasprintf ("/%s/%s", host + root_len, rest);
          return path_clean (joined);
        }
      char *slash = strrchr (prefix, '/');
      if (slash == NULL || slash == prefix)
        {
          if (strcmp (prefix, "/") == 0)
            return NULL;
          prefix[1] = '\0';
        }
      else
        *slash = '\0';
    }
}

static char
entry_kind (int dirfd, const struct dirent *e)
{
  struct stat st;

  if (e->d_type == DT_DIR)
    return ROOTFS_DIR;
  if (e->d_type != DT_REG && e->d_type != DT_UNKNOWN)
    return 0;
  if (fstatat (dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return 0;
  if (S_ISDIR (st.st_mode))
    return ROOTFS_DIR;
  if (!S_ISREG (st.st_mode))
    return 0;
  return (st.st_mode & 0111) ? ROOTFS_EXECUTABLE : ROOTFS_FILE;
}

static void
list_dir (int rootfd, struct rootfs_listing *l)
{
  int fd = open_in_root (rootfd, l->dir, O_RDONLY | O_DIRECTORY, RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS);
  DIR *dir = fd >= 0 ? fdopendir (fd) : NULL;
  struct dirent *e;

  if (dir == NULL)
    {
      if (fd >= 0)
        close (fd);
      return;
    }
  l->entries = hr_xcalloc (16, sizeof *l->entries);
  for (size_t cap = 16; (e = readdir (dir)) != NULL && l->n_entries < MAX_ENTRIES;)
    {
      char kind = strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0 ? 0 : entry_kind (fd, e);
      if (kind == 0)
        continue;
      if (l->n_entries == cap)
        l->entries = hr_xrealloc (l->entries, (cap *= 2) * sizeof *l->entries);
      l->entries[l->n_entries++] = (struct rootfs_entry){ hr_xstrdup (e->d_name), kind };
    }
  closedir (dir);
}

static void
add_listing (struct rootfs_tree *t, int rootfd, const char *dir)
{
  if (rootfs_tree_listing (t, dir) != NULL)
    return;
  for (size_t i = 0; i < t->n_listings; i++)
    if (strcmp (t->listings[i].dir, dir) == 0)
      return; /* listed, not in the image */
  t->listings = hr_xrealloc (t->listings, (t->n_listings + 1) * sizeof *t->listings);
  t->listings[t->n_listings] = (struct rootfs_listing){ hr_xstrdup (dir), NULL, 0 };
  list_dir (rootfd, &t->listings[t->n_listings++]);
}

/* Every proper ancestor of the resolved `path`, from "/" down. */
static void
list_ancestors (struct rootfs_tree *t, int rootfd, const char *path)
{
  cleanup_free char *dir = hr_xstrdup (path);

  for (char *p = dir + 1; (p = strchr (p, '/')) != NULL; p++)
    {
      *p = '\0';
      add_listing (t, rootfd, dir);
      *p = '/';
    }
  if (strcmp (path, "/") != 0)
    add_listing (t, rootfd, "/");
}

void
rootfs_tree_probe (struct rootfs_tree *t, int rootfd, char *const *paths, size_t n)
{
  cleanup_free char *root = rootfd >= 0 ? fd_path (rootfd) : NULL;

  rootfs_tree_release (t);
  t->known = root != NULL;
  t->paths = hr_xcalloc (n ? n : 1, sizeof *t->paths);
  t->resolved = hr_xcalloc (n ? n : 1, sizeof *t->resolved);
  t->n_paths = n;
  for (size_t i = 0; i < n; i++)
    {
      t->paths[i] = path_clean (paths[i]);
      if (root == NULL || t->paths[i][0] != '/')
        continue;
      t->resolved[i] = resolve (rootfd, root, t->paths[i]);
      if (t->resolved[i] != NULL)
        list_ancestors (t, rootfd, t->resolved[i]);
    }
}

const char *
rootfs_tree_resolved (const struct rootfs_tree *t, const char *path)
{
  for (size_t i = 0; i < t->n_paths; i++)
    if (strcmp (t->paths[i], path) == 0)
      return t->resolved[i];
  return NULL;
}

const struct rootfs_listing *
rootfs_tree_listing (const struct rootfs_tree *t, const char *dir)
{
  for (size_t i = 0; i < t->n_listings; i++)
    if (t->listings[i].entries != NULL && strcmp (t->listings[i].dir, dir) == 0)
      return &t->listings[i];
  return NULL;
}

void
rootfs_tree_release (struct rootfs_tree *t)
{
  for (size_t i = 0; i < t->n_paths; i++)
    {
      free (t->paths[i]);
      free (t->resolved[i]);
    }
  for (size_t i = 0; i < t->n_listings; i++)
    {
      for (size_t j = 0; j < t->listings[i].n_entries; j++)
        free (t->listings[i].entries[j].name);
      free (t->listings[i].entries);
      free (t->listings[i].dir);
    }
  free (t->paths);
  free (t->resolved);
  free (t->listings);
  memset (t, 0, sizeof *t);
}
