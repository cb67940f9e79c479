/* Where the landlock control lets the workload execute and write, from the
 * config's mounts and what a learned profile saw, as the image's tree
 * resolves it (host/rootfs_tree.h). */
#ifndef HARDRUN_LANDLOCK_TREE_H
#define HARDRUN_LANDLOCK_TREE_H

#include <stdbool.h>

#include "host/rootfs_tree.h"
#include "policy/policy.h"
#include "spec/json.h"

/* A mount the workload can write to (not proc, sysfs, cgroup or mqueue,
 * not read-only, not below /proc or /sys). */
bool landlock_mount_writable (const struct json *mount);

/* Whether path lies at or beneath one of l's. */
bool landlock_within_any (const struct string_list *l, const char *path);

/* Of `exec`, the files a learned profile saw executed, as the root
 * resolves them, with the interpreters the kernel opens to run them; none
 * in a `shut` path (NULL: no such cut). */
void landlock_learned_exec (const struct rootfs_tree *tree, const struct json *learned,
                            const struct string_list *exec, const struct string_list *shut,
                            struct string_list *out);
/* Of `write`, the paths a learned profile wrote beneath. */
void landlock_learned_write (const struct rootfs_tree *tree, const struct json *learned,
                             const struct string_list *write, struct string_list *out);

#endif
