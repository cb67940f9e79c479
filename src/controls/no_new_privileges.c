/* process.noNewPrivileges: setuid binaries and file capabilities cannot
 * raise privileges inside the container. */
#include "config.h"

#include "base/cleanup.h"
#include "controls/control.h"
#include "spec/spec.h"

int
control_no_new_privileges (struct control_ctx *ctx, struct hr_error *err)
{
  struct json *process = spec_get (ctx->spec, "process");
  struct json *nnp = spec_get (process, "noNewPrivileges");
  cleanup_json struct json *want = json_new_bool (true);

  if (json_is (nnp, JSON_BOOL) && nnp->boolean)
    return 0;
  if (!json_is (process, JSON_OBJECT))
    return 0; /* no process: runc refuses the config itself */
  if (control_propose (ctx, "process.noNewPrivileges", nnp, want,
                       "noNewPrivileges must be true"))
    spec_set (process, "noNewPrivileges", steal_pointer (&want));
  return 0;
}
