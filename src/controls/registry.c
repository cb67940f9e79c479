#include "config.h"
#include "controls/control.h"

#include "policy/policy.h"

/* Each control's function, by id; the ids, their run order and their names
 * are the policy's (policy/control_id.h). */
static const control_fn control_functions[CONTROL_COUNT] = {
  [CONTROL_FIELDS] = control_fields,
  [CONTROL_PRIVILEGED] = control_privileged,
  [CONTROL_HOST_NAMESPACES] = control_host_namespaces,
  [CONTROL_HOST_MOUNTS] = control_host_mounts,
  [CONTROL_MOUNT_TYPES] = control_mount_types,
  [CONTROL_ROOTFS] = control_rootfs,
  [CONTROL_IMAGE] = control_image,
  [CONTROL_CGROUPS] = control_cgroups,
  [CONTROL_HOOKS] = control_hooks,
  [CONTROL_ANNOTATIONS] = control_annotations,
  [CONTROL_SYSCTLS] = control_sysctls,
  [CONTROL_USER] = control_user,
  [CONTROL_ENV_SECRETS] = control_env_secrets,
  [CONTROL_RESOURCES] = control_resources,
  [CONTROL_CAPABILITIES] = control_capabilities,
  [CONTROL_NO_NEW_PRIVILEGES] = control_no_new_privileges,
  [CONTROL_READONLY_ROOTFS] = control_readonly_rootfs,
  [CONTROL_MASKED_PATHS] = control_masked_paths,
  [CONTROL_SECCOMP] = control_seccomp,
  [CONTROL_LEARNING] = control_learning,
  [CONTROL_LANDLOCK] = control_landlock,
  [CONTROL_APPARMOR] = control_apparmor,
  [CONTROL_SELINUX] = control_selinux,
};

int
controls_run (struct json *spec, const struct policy *policy, const struct host_facts *host,
              struct decision *decision, struct hr_error *err)
{
  for (int i = 0; i < CONTROL_COUNT; i++)
    {
      struct control_ctx ctx = {
        .id = (enum control_id) i,
        .action = policy->actions[i],
        .spec = spec,
        .policy = policy,
        .host = host,
        .decision = decision,
      };
      if (ctx.action == ACTION_OFF)
        continue;
      if (control_functions[i] (&ctx, err) < 0)
        return hr_error_wrap (err, "%s", control_name ((enum control_id) i));
    }
  return 0;
}
