/* The container's root as runc will find it, for rules that name its paths:
 * each path asked for with the image's symlinks followed inside the root
 * (as runc's securejoin follows them), and what each directory on the way
 * to those paths holds. */
#ifndef HARDRUN_ROOTFS_TREE_H
#define HARDRUN_ROOTFS_TREE_H

#include <stdbool.h>
#include <stddef.h>

enum rootfs_entry_kind
{
  ROOTFS_DIR = 'd',
  ROOTFS_EXECUTABLE = 'x', /* a regular file with an execute bit */
  ROOTFS_FILE = 'f',       /* any other regular file */
};

struct rootfs_entry
{
  char *name;
  char kind; /* enum rootfs_entry_kind; symlinks and special files are left out */
};

struct rootfs_listing
{
  char *dir; /* resolved, absolute inside the root */
  struct rootfs_entry *entries;
  size_t n_entries;
};

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
  struct rootfs_listing *listings; /* every proper ancestor of a cut path */
  size_t n_listings;
  struct rootfs_exec *execs;
  size_t n_execs;
};

/* What to find in the root: all absolute paths inside it. */
struct rootfs_query
{
  char *const *cut; /* resolved, and the directories above them listed */
  size_t n_cut;
  char *const *named; /* resolved only */
  size_t n_named;
  char *const *execs; /* resolved, with the script or ELF interpreters they need */
  size_t n_execs;
};

/* Probe the root at rootfd (-1: no root) for q. */
void rootfs_tree_probe (struct rootfs_tree *t, int rootfd, const struct rootfs_query *q);
/* The resolved form of `path`, or NULL when it was not asked for. */
const char *rootfs_tree_resolved (const struct rootfs_tree *t, const char *path);
/* What `dir` (resolved) holds, or NULL when it is not in the image or was
 * not listed. */
const struct rootfs_listing *rootfs_tree_listing (const struct rootfs_tree *t, const char *dir);
/* What running `path` (as asked for) opens, or NULL. */
const struct rootfs_exec *rootfs_tree_exec (const struct rootfs_tree *t, const char *path);
void rootfs_tree_release (struct rootfs_tree *t);

#endif
