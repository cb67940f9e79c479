/* hardrun's own directory (state_dir): records and MCS pairs. Every
 * component from state_dir down is opened without following symlinks, so
 * a link planted there can never point hardrun's writes, or its pruning,
 * at another directory. */
#ifndef HARDRUN_STATE_DIR_H
#define HARDRUN_STATE_DIR_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

/* Open state_dir/sub[0]/sub[1]/... as a directory (O_NOFOLLOW at every step
 * below state_dir's parent). With create, missing directories are made
 * (0700). Returns the fd, or -1 (ELOOP or ENOTDIR for a symlink). */
int state_dir_open (const char *state_dir, const char *const sub[], size_t n_sub, bool create,
                    struct hr_error *err);

/* Open sub as a directory below dirfd, without following a symlink. */
int state_dir_openat (int dirfd, const char *name, bool create, struct hr_error *err);

#endif
