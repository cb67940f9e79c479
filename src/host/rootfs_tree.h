/* The container's root as runc will find it, for rules that name its paths:
 * each path asked for with the image's symlinks followed inside the root
 * (as runc's securejoin follows them), and what an exec of the image
 * opens. */
#ifndef HARDRUN_ROOTFS_TREE_H
#define HARDRUN_ROOTFS_TREE_H

#include <stdbool.h>
#include <stddef.h>

/* An exec asked for: the file, resolved, and the interpreters the kernel
 * opens to run it. */
struct rootfs_exec
{
  char *asked;
  char *files[4];
  size_t n_files;
};

struct rootfs_tree
{
  bool known; /* the root could be opened */
  char **paths;    /* as asked for, cleaned */
  char **resolved; /* the same path with the image's symlinks followed */
  size_t n_paths;
  struct rootfs_exec *execs;
  size_t n_execs;
};

/* What to find in the root: all absolute paths inside it. */
struct rootfs_query
{
  char *const *named; /* resolved only */
  size_t n_named;
  char *const *execs; /* resolved, with the script or ELF interpreters they need */
  size_t n_execs;
};

/* Probe the root at rootfd (-1: no root) for q. */
void rootfs_tree_probe (struct rootfs_tree *t, int rootfd, const struct rootfs_query *q);
/* The resolved form of `path`, or NULL when it was not asked for. */
const char *rootfs_tree_resolved (const struct rootfs_tree *t, const char *path);
/* What running `path` (as asked for) opens, or NULL. */
const struct rootfs_exec *rootfs_tree_exec (const struct rootfs_tree *t, const char *path);
void rootfs_tree_release (struct rootfs_tree *t);

#endif
