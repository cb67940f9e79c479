/* linux.cgroupsPath is where runc puts the container, and what update and
 * kill --all act on: an existing cgroup with processes in it is someone
 * else's (its limits would change, its processes be killed), so it is
 * refused. A new or empty cgroup is the container's own. */
#include "config.h"

#include "base/cleanup.h"
#include "controls/control.h"
#include "policy/policy.h"
#include "spec/spec.h"

int
control_cgroups (struct control_ctx *ctx, struct hr_error *err)
{
  const char *path = json_string (spec_get_path (ctx->spec, "linux", "cgroupsPath", NULL));
  cleanup_free char *why = NULL;
  cleanup_json struct json *value = path ? json_new_string (path) : NULL;

  (void) err;
  if (!ctx->host->cgroup.named)
    return 0;
  if (!ctx->host->cgroup.known)
    why = hr_xasprintf ("cannot tell which cgroup %s names", path);
  else if (ctx->host->cgroup.populated)
    why = hr_xasprintf ("the cgroup %s (%s) exists and has processes in it: it is not this "
                        "container's own",
                        path, ctx->host->cgroup.dir);
  else
    return 0;
  control_refuse (ctx, "linux.cgroupsPath", value, why, NULL);
  return 0;
}
