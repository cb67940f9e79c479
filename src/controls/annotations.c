/* The annotations runc itself acts on: org.systemd.property.* become
 * properties of the container's systemd unit (DeviceAllow=, Delegate=, ...),
 * org.criu.config names a CRIU configuration file on the host. Keys the
 * profile lists are refused; every other annotation is data for the engine. */
#include "config.h"

#include <fnmatch.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "policy/policy.h"
#include "spec/spec.h"

int
control_annotations (struct control_ctx *ctx, struct hr_error *err)
{
  const struct json *annotations = spec_get (ctx->spec, "annotations");

  (void) err;
  for (size_t i = 0; json_is (annotations, JSON_OBJECT) && i < annotations->obj.len; i++)
    {
      const struct json_member *m = &annotations->obj.members[i];
      cleanup_free char *key = hr_xstrndup (m->key, m->key_len);
      for (size_t p = 0; p < ctx->policy->annotations_refused.len; p++)
        if (fnmatch (ctx->policy->annotations_refused.items[p], key, 0) == 0)
          {
            cleanup_free char *path = hr_xasprintf ("annotations[\"%s\"]", key);
            cleanup_free char *why = hr_xasprintf ("runc acts on annotation %s itself (it matches "
                                                   "\"%s\"), outside the container's limits",
                                                   key, ctx->policy->annotations_refused.items[p]);
            cleanup_free char *allow = hr_xasprintf ("removing \"%s\" from profiles.%s.annotations.refused",
                                                     ctx->policy->annotations_refused.items[p],
                                                     ctx->policy->name);
            control_refuse (ctx, path, m->value, why, allow);
            break;
          }
    }
  return 0;
}
