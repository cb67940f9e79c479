/* Hardened exec: the --process file an engine hands runc for `exec` carries
 * the engine's own defaults (14 capabilities, its labels, noNewPrivileges
 * false). It is cut to the container's own hardened settings. */
#ifndef HARDRUN_EXEC_PROCESS_H
#define HARDRUN_EXEC_PROCESS_H

#include "decide/outcome.h"

/* Decide for the process file dirfd/name against `container` (the
 * container's hardened process object: capabilities, noNewPrivileges,
 * apparmorProfile, selinuxLabel). out->policy must already hold the
 * container's profile; out->verdict and out->new_text are filled. */
int exec_process_decide (const struct json *container, int dirfd, const char *name,
                         struct outcome *out, struct hr_error *err);
/* The same for a process file read already (out takes the bytes). */
int exec_process_decide_bytes (const struct json *container, char *raw, size_t len, struct outcome *out,
                               struct hr_error *err);

/* Where `process` (a config's process object) would give an exec more than
 * `container` (the container's hardened settings, as recorded at create):
 * "process.capabilities.bounding: CAP_X" and the like, or NULL. Caller
 * frees. runc exec without --process takes the bundle's config.json as it
 * is at exec time, so a config rewritten since create is judged so. */
char *exec_process_widens (const struct json *container, const struct json *process);

/* The part of a container's process.args that puts it behind hardrun-init
 * (its ruleset, up to and including "--"; without -R, which only a pid 1
 * takes), or NULL when it is not behind it. */
struct json *exec_init_prefix (const struct json *args);

#endif
