#include "config.h"
#include "host/rootfs_tree.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "host/paths.h"

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

/* PT_INTERP of the ELF file at fd whose first bytes are head, or NULL. */
static char *
elf_interpreter (int fd, const unsigned char *head, size_t n)
{
  uint64_t phoff, phnum, phentsize;
  bool wide;

  if (n < sizeof (Elf64_Ehdr) || memcmp (head, ELFMAG, SELFMAG) != 0)
    return NULL;
  wide = head[EI_CLASS] == ELFCLASS64;
  if (wide)
    {
      Elf64_Ehdr e;
      memcpy (&e, head, sizeof e);
      phoff = e.e_phoff, phnum = e.e_phnum, phentsize = e.e_phentsize;
    }
  else
    {
      Elf32_Ehdr e;
      memcpy (&e, head, sizeof e);
      phoff = e.e_phoff, phnum = e.e_phnum, phentsize = e.e_phentsize;
    }
  if (phentsize < (wide ? sizeof (Elf64_Phdr) : sizeof (Elf32_Phdr)) || phnum > 128)
    return NULL;
  for (uint64_t i = 0; i < phnum; i++)
    {
      Elf64_Phdr p64;
      Elf32_Phdr p32;
      uint64_t type, offset, size;
      char interp[PATH_MAX];
      off_t at = (off_t) (phoff + i * phentsize);

      if (wide ? pread (fd, &p64, sizeof p64, at) != (ssize_t) sizeof p64 : pread (fd, &p32, sizeof p32, at) != (ssize_t) sizeof p32)
        return NULL;
      type = wide ? p64.p_type : p32.p_type;
      offset = wide ? p64.p_offset : p32.p_offset;
      size = wide ? p64.p_filesz : p32.p_filesz;
      if (type != PT_INTERP)
        continue;
      if (size < 2 || size > sizeof interp || pread (fd, interp, size, (off_t) offset) != (ssize_t) size
          || interp[size - 1] != '\0' || interp[0] != '/')
        return NULL;
      return hr_xstrdup (interp);
    }
  return NULL;
}

static void
add_resolved (struct rootfs_tree *t, int rootfd, const char *root, char *const *paths, size_t n)
{
  t->paths = hr_xrealloc (t->paths, (t->n_paths + n + 1) * sizeof *t->paths);
  t->resolved = hr_xrealloc (t->resolved, (t->n_paths + n + 1) * sizeof *t->resolved);
  for (size_t i = 0; i < n; i++)
    {
      size_t k = t->n_paths++;
      t->paths[k] = path_clean (paths[i]);
      t->resolved[k] = root != NULL && t->paths[k][0] == '/' ? resolve (rootfd, root, t->paths[k]) : NULL;
    }
}

/* The interpreter the kernel opens to run `path` (resolved): a script's
 * "#!" line or an ELF's PT_INTERP; NULL for none. */
static char *
interpreter_of (int rootfd, const char *path)
{
  cleanup_close int fd = open_in_root (rootfd, path, O_RDONLY, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
  unsigned char head[256];
  struct stat st;
  ssize_t n;

  if (fd < 0 || fstat (fd, &st) < 0 || !S_ISREG (st.st_mode) || (n = pread (fd, head, sizeof head - 1, 0)) < 4)
    return NULL;
  head[n] = '\0';
  if (head[0] == '#' && head[1] == '!')
    {
      char *p = (char *) head + 2;
      p += strspn (p, " \t");
      size_t len = strcspn (p, " \t\n");
      return p[0] == '/' && len > 0 ? hr_xstrndup (p, len) : NULL;
    }
  return elf_interpreter (fd, head, (size_t) n);
}

static bool
is_file (int rootfd, const char *path)
{
  cleanup_close int fd = open_in_root (rootfd, path, O_PATH, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
  struct stat st;

  return fd >= 0 && fstat (fd, &st) == 0 && S_ISREG (st.st_mode);
}

/* Each exec, and the interpreters it takes (a script's, then that ELF's
 * loader: the kernel nests no deeper than a few). */
static void
add_execs (struct rootfs_tree *t, int rootfd, const char *root, char *const *execs, size_t n)
{
  t->execs = hr_xcalloc (n + 1, sizeof *t->execs);
  for (size_t i = 0; root != NULL && i < n; i++)
    {
      struct rootfs_exec *e = &t->execs[t->n_execs++];
      cleanup_free char *path = path_clean (execs[i]);
      e->asked = hr_xstrdup (path);
      for (; e->n_files < 4 && path != NULL && path[0] == '/'; e->n_files++)
        {
          char *r = resolve (rootfd, root, path);
          free (path);
          path = NULL;
          if (r == NULL)
            break;
          if (!is_file (rootfd, r))
            {
              free (r); /* nothing of the image to run (PATH's misses) */
              break;
            }
          path = interpreter_of (rootfd, r);
          e->files[e->n_files] = r;
        }
    }
}

void
rootfs_tree_probe (struct rootfs_tree *t, int rootfd, const struct rootfs_query *q)
{
  cleanup_free char *root = rootfd >= 0 ? fd_path (rootfd) : NULL;

  rootfs_tree_release (t);
  t->known = root != NULL;
  add_resolved (t, rootfd, root, q->named, q->n_named);
  add_execs (t, rootfd, root, q->execs, q->n_execs);
}

const char *
rootfs_tree_resolved (const struct rootfs_tree *t, const char *path)
{
  for (size_t i = 0; i < t->n_paths; i++)
    if (strcmp (t->paths[i], path) == 0)
      return t->resolved[i];
  return NULL;
}

const struct rootfs_exec *
rootfs_tree_exec (const struct rootfs_tree *t, const char *path)
{
  for (size_t i = 0; i < t->n_execs; i++)
    if (strcmp (t->execs[i].asked, path) == 0)
      return &t->execs[i];
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
  for (size_t i = 0; i < t->n_execs; i++)
    {
      free (t->execs[i].asked);
      for (size_t j = 0; j < t->execs[i].n_files; j++)
        free (t->execs[i].files[j]);
    }
  free (t->execs);
  free (t->paths);
  free (t->resolved);
  memset (t, 0, sizeof *t);
}
