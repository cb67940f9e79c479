/* An AppArmor profile where the host enforces AppArmor, and never where it
 * cannot (runc refuses to start a container whose profile it cannot apply). */
#include "config.h"

#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "policy/policy.h"
#include "spec/spec.h"

int
control_apparmor (struct control_ctx *ctx, struct hr_error *err)
{
  const struct lsm_facts *lsm = &ctx->host->lsm;
  struct json *process = spec_get (ctx->spec, "process");
  struct json *current = spec_get (process, "apparmorProfile");
  const char *named = json_string (current);
  const char *want = ctx->policy->apparmor_profile;

  if (!json_is (process, JSON_OBJECT))
    return 0;
  if (named != NULL && named[0] == '\0')
    named = NULL;

  if (!lsm->apparmor_enabled)
    {
      if (named != NULL)
        {
          cleanup_free char *why = hr_xasprintf ("AppArmor is not active on this host, so runc "
                                                 "cannot apply the profile \"%s\" the config names",
                                                 named);
          control_refuse (ctx, "process.apparmorProfile", current, why, NULL);
        }
      else
        control_note (ctx, "process.apparmorProfile",
                      "AppArmor is not active on this host: no profile applied");
      return 0;
    }

  if (named != NULL && strcmp (named, "unconfined") == 0)
    {
      control_refuse (ctx, "process.apparmorProfile", current,
                      "the config runs the container unconfined by AppArmor", NULL);
      return 0;
    }
  if (named != NULL)
    return 0; /* the engine's own profile (docker-default, ...) is kept */

  if (!lsm->apparmor_profile_loaded)
    {
      cleanup_free char *why = hr_xasprintf ("hardrun's AppArmor profile \"%s\" is not loaded: run "
                                             "`hardrun profiles install`",
                                             want);
      cleanup_free char *allow = hr_xasprintf ("profiles.%s.apparmor.require_profile = false",
                                               ctx->policy->name);
      if (ctx->policy->apparmor_require_profile)
        control_refuse (ctx, "process.apparmorProfile", NULL, why, allow);
      else
        control_note (ctx, "process.apparmorProfile", "%s", why);
      return 0;
    }

  {
    cleanup_json struct json *after = json_new_string (want);
    if (control_propose (ctx, "process.apparmorProfile", current, after,
                         "confine the container with hardrun's AppArmor profile"))
      spec_set (process, "apparmorProfile", steal_pointer (&after));
  }
  return 0;
}
