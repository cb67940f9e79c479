/* Where the landlock control lets the workload execute and write, from the
 * config's mounts and the image's tree (host/rootfs_tree.h). */
#ifndef HARDRUN_LANDLOCK_TREE_H
#define HARDRUN_LANDLOCK_TREE_H

#include <stdbool.h>

#include "host/rootfs_tree.h"
#include "policy/policy.h"
#include "spec/json.h"

/* hardrun-init takes 1024 rules; what the profile's read and write lists
 * add comes on top of these */
#define LANDLOCK_MAX_EXEC_RULES 512

/* A mount the workload can write to (not proc, sysfs, cgroup or mqueue,
 * not read-only, not below /proc or /sys). */
bool landlock_mount_writable (const struct json *mount);

/* The smallest set of paths that holds every file of the root the workload
 * may execute: all of it but the writable mounts, /proc, /sys and /dev,
 * as the image lays it out. A writable root makes any file of it a
 * candidate; a read-only one, only the directories and the files already
 * executable. Returns false when the tree is unknown (no root to list)
 * or the set would pass `max` paths. */
bool landlock_exec_cover (const struct json *spec, const struct rootfs_tree *tree, size_t max,
                          struct string_list *out);

/* The paths both sets of subtrees hold, as subtrees: executing a file takes
 * reading it, so what may be executed is cut to what may be read. */
void landlock_paths_intersect (const struct string_list *a, const struct string_list *b, struct string_list *out);

/* Of `exec`, the files a learned profile saw executed, as the root
 * resolves them, with the interpreters the kernel opens to run them. */
void landlock_learned_exec (const struct rootfs_tree *tree, const struct json *learned,
                            const struct string_list *exec, struct string_list *out);
/* Of `write`, the paths a learned profile wrote beneath. */
void landlock_learned_write (const struct rootfs_tree *tree, const struct json *learned,
                             const struct string_list *write, struct string_list *out);

#endif
