/* Where a path leads now, resolved as the kernel will when runc opens it,
 * one component at a time, with the directories already walked in this
 * probe remembered: an engine binds several files from one directory. */
#ifndef HARDRUN_PATH_WALK_H
#define HARDRUN_PATH_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct file_identity
{
  bool known;
  dev_t dev;
  ino_t ino;
  mode_t mode; /* its type and permissions, when known */
};

#define PATH_WALK_DIRS 8

/* The directories walked so far: as written, where they lead, and whether
 * they stopped existing on the way. Zero-initialise; release after. */
struct path_walk
{
  struct
  {
    char *written;
    char *resolved;
    bool missing;
  } dirs[PATH_WALK_DIRS];
  size_t n_dirs;
};

/* Where `path` leads now: every existing component followed (a symlink
 * through realpath), and from the first missing one on the rest appended,
 * lexically cleaned, so a symlink on the way is followed even when the end
 * is missing. A relative path starts in `from`, a canonical directory.
 * *id is what the path names (stat), known only when it exists. */
char *path_walk_resolve (struct path_walk *w, const char *from, const char *path, struct file_identity *id);
void path_walk_release (struct path_walk *w);
#define cleanup_path_walk __attribute__ ((cleanup (path_walk_release)))

#endif
