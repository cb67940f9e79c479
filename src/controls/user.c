/* The process runs as a non-root user (a finding in "default", refused in
 * "restricted"). */
#include "config.h"

#include "base/cleanup.h"
#include "controls/control.h"
#include "spec/spec.h"

int
control_user (struct control_ctx *ctx, struct hr_error *err)
{
  const struct json *uid = spec_get_path (ctx->spec, "process", "user", "uid", NULL);
  uint64_t n = 0;

  if (spec_get (ctx->spec, "process") == NULL)
    return 0;
  /* absent means 0 to runc */
  if (uid != NULL && !json_is (uid, JSON_NULL) && json_number_to_u64 (uid, &n) < 0)
    n = 1; /* not a plain integer: runc refuses the config itself */
  if (n == 0)
    {
      cleanup_json struct json *value = json_new_uint (0);
      control_refuse (ctx, "process.user.uid", value, "the process runs as root (uid 0)", NULL);
    }
  return 0;
}
