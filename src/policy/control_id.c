#include "config.h"
#include "policy/control_id.h"

#include <stddef.h>
#include <string.h>

static const char *const control_names[CONTROL_COUNT] = {
  [CONTROL_FIELDS] = "fields",
  [CONTROL_PRIVILEGED] = "privileged",
  [CONTROL_HOST_NAMESPACES] = "host_namespaces",
  [CONTROL_HOST_MOUNTS] = "host_mounts",
  [CONTROL_MOUNT_TYPES] = "mount_types",
  [CONTROL_ROOTFS] = "rootfs",
  [CONTROL_IMAGE] = "image",
  [CONTROL_CGROUPS] = "cgroups",
  [CONTROL_HOOKS] = "hooks",
  [CONTROL_ANNOTATIONS] = "annotations",
  [CONTROL_SYSCTLS] = "sysctls",
  [CONTROL_USER] = "user",
  [CONTROL_ENV_SECRETS] = "env_secrets",
  [CONTROL_RESOURCES] = "resources",
  [CONTROL_CAPABILITIES] = "capabilities",
  [CONTROL_NO_NEW_PRIVILEGES] = "no_new_privileges",
  [CONTROL_READONLY_ROOTFS] = "readonly_rootfs",
  [CONTROL_MASKED_PATHS] = "masked_paths",
  [CONTROL_SECCOMP] = "seccomp",
  [CONTROL_LEARNING] = "learning",
  [CONTROL_LANDLOCK] = "landlock",
  [CONTROL_APPARMOR] = "apparmor",
  [CONTROL_SELINUX] = "selinux",
};

static const char *const action_names[] = {
  [ACTION_OFF] = "off",
  [ACTION_AUDIT] = "audit",
  [ACTION_DENY] = "deny",
  [ACTION_ENFORCE] = "enforce",
};

const char *
control_name (enum control_id id)
{
  return id < CONTROL_COUNT ? control_names[id] : "?";
}

int
control_from_name (const char *name, enum control_id *out)
{
  for (int i = 0; i < CONTROL_COUNT; i++)
    if (strcmp (control_names[i], name) == 0)
      {
        *out = (enum control_id) i;
        return 0;
      }
  return -1;
}

const char *
control_action_name (enum control_action a)
{
  return action_names[a];
}

int
control_action_from_name (const char *name, enum control_action *out)
{
  for (size_t i = 0; i < sizeof action_names / sizeof action_names[0]; i++)
    if (strcmp (action_names[i], name) == 0)
      {
        *out = (enum control_action) i;
        return 0;
      }
  return -1;
}
