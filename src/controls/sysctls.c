/* Only the sysctls the policy lists (Kubernetes' "safe" set by default). */
#include "config.h"

#include "base/cleanup.h"
#include "controls/control.h"
#include "policy/policy.h"
#include "spec/spec.h"

int
control_sysctls (struct control_ctx *ctx, struct hr_error *err)
{
  const struct json *sysctls = spec_get_path (ctx->spec, "linux", "sysctl", NULL);

  for (size_t i = 0; json_is (sysctls, JSON_OBJECT) && i < sysctls->obj.len; i++)
    {
      const struct json_member *m = &sysctls->obj.members[i];
      cleanup_free char *name = hr_xstrndup (m->key, m->key_len);
      cleanup_free char *path = NULL;
      cleanup_free char *why = NULL;
      cleanup_free char *allow = NULL;

      if (string_list_contains (&ctx->policy->sysctls_allowed, name))
        continue;
      path = hr_xasprintf ("linux.sysctl[\"%s\"]", name);
      why = hr_xasprintf ("sysctl %s is not in the safe set", name);
      allow = hr_xasprintf ("adding \"%s\" to profiles.%s.sysctls.allowed+", name, ctx->policy->name);
      control_refuse (ctx, path, m->value, why, allow);
    }
  return 0;
}
