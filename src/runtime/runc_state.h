/* What runc itself knows of a container: its root directory, and the
 * bundle `runc state` names. */
#ifndef HARDRUN_RUNC_STATE_H
#define HARDRUN_RUNC_STATE_H

#include <stddef.h>

/* runc's root: the --root given, or runc's own default. */
const char *runc_root (const char *root);

/* The bundle runc recorded for container id (`runc state`), or NULL when
 * runc names none. Caller frees. */
char *runc_state_bundle (const char *runtime, const char *root, const char *id);

/* The first line `runtime --version` prints ("" when it prints none). */
void runc_version_line (const char *runtime, char *buf, size_t len);
/* The same, kept in state_dir/runtime-version for as long as the binary
 * is the same file (device, inode, size, change time): a launch that needs
 * it does not pay for running runc. */
void runc_version_cached (const char *runtime, const char *state_dir, char *buf, size_t len);

#endif
