/* The shape every hardening control shares: a function of (spec, policy,
 * host facts) that reports what it would change and what it found, and
 * applies a change only when its action is enforce. */
#ifndef HARDRUN_CONTROL_H
#define HARDRUN_CONTROL_H

#include <stdbool.h>

#include "base/error.h"
#include "controls/decision.h"
#include "host/hostfacts.h"
#include "policy/control_id.h"
#include "spec/json.h"

struct policy;

struct control_ctx
{
  enum control_id id;
  enum control_action action;
  struct json *spec; /* the config.json tree, normalized */
  const struct policy *policy;
  const struct host_facts *host;
  struct decision *decision;
};

/* Report that `path` should go from `before` to `after` (copied; either may
 * be NULL for absent). Returns true when the control must apply it now. */
bool control_propose (struct control_ctx *ctx, const char *path, const struct json *before,
                      const struct json *after, const char *why);

/* Report what a refusing control found at `path` (value may be NULL; it is
 * copied into the log, so never pass a secret). enforce and deny refuse,
 * audit records a finding. `allow_key` names the configuration key that
 * would allow it. */
void control_refuse (struct control_ctx *ctx, const char *path, const struct json *value,
                     const char *why, const char *allow_key);

/* Report something the control found but does not change. */
void control_note (struct control_ctx *ctx, const char *path, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

typedef int (*control_fn) (struct control_ctx *ctx, struct hr_error *err);

int control_fields (struct control_ctx *ctx, struct hr_error *err);
/* The fields control on another input runc reads: an exec's process file
 * (root "process") or update's resources (root "linux.resources"). */
void control_fields_judge (const struct json *tree, const char *root, const struct policy *policy,
                           struct decision *decision);
int control_privileged (struct control_ctx *ctx, struct hr_error *err);
int control_host_namespaces (struct control_ctx *ctx, struct hr_error *err);
int control_host_mounts (struct control_ctx *ctx, struct hr_error *err);
/* runc applies a mount's options in order: the last of ro and rw counts. */
bool mount_read_only (const struct json *options);
int control_mount_types (struct control_ctx *ctx, struct hr_error *err);
int control_rootfs (struct control_ctx *ctx, struct hr_error *err);
int control_image (struct control_ctx *ctx, struct hr_error *err);
int control_cgroups (struct control_ctx *ctx, struct hr_error *err);
int control_hooks (struct control_ctx *ctx, struct hr_error *err);
int control_annotations (struct control_ctx *ctx, struct hr_error *err);
int control_sysctls (struct control_ctx *ctx, struct hr_error *err);
int control_user (struct control_ctx *ctx, struct hr_error *err);
int control_env_secrets (struct control_ctx *ctx, struct hr_error *err);
int control_resources (struct control_ctx *ctx, struct hr_error *err);
int control_capabilities (struct control_ctx *ctx, struct hr_error *err);
int control_no_new_privileges (struct control_ctx *ctx, struct hr_error *err);
int control_readonly_rootfs (struct control_ctx *ctx, struct hr_error *err);
int control_masked_paths (struct control_ctx *ctx, struct hr_error *err);
int control_seccomp (struct control_ctx *ctx, struct hr_error *err);
int control_learning (struct control_ctx *ctx, struct hr_error *err);
/* Where the landlock control binds hardrun-init in the container (the
 * first of process.args of a container behind it, and of its execs): in
 * the tmpfs the config mounts at /dev, which runc makes inside the
 * container's user namespace, so the mount point can be made where the
 * namespace's root cannot write the image's root; in the root where the
 * config mounts no tmpfs there (never into a /dev bound from elsewhere). */
#define LANDLOCK_INIT_IN_DEV "/dev/.hardrun-init"
#define LANDLOCK_INIT_IN_ROOT "/.hardrun-init"
const char *landlock_init_destination (const struct json *spec);
/* Whether path (clean) is one of the two places hardrun-init is bound at. */
bool landlock_is_init_path (const char *path);
int control_landlock (struct control_ctx *ctx, struct hr_error *err);
/* process.args already behind hardrun-init (an earlier create of the same
 * bundle, or args written to look so): the command after the init's "--",
 * to go behind the profile's own ruleset, never the one they carry; NULL
 * when args do not start with the init. */
struct json *landlock_unwrapped_args (const struct json *args);
int control_apparmor (struct control_ctx *ctx, struct hr_error *err);
int control_selinux (struct control_ctx *ctx, struct hr_error *err);

/* Run every control the policy does not turn off, in order (registry.c). */
int controls_run (struct json *spec, const struct policy *policy, const struct host_facts *host,
                  struct decision *decision, struct hr_error *err);

#endif
