/* The closed world: a field runc does not read is one hardrun does not
 * understand, so it is refused rather than passed on (spec/fields.h lists
 * every field runc 1.1 reads and the control that judges it). */
#include "config.h"

#include "base/cleanup.h"
#include "controls/control.h"
#include "policy/policy.h"
#include "spec/fields.h"

int
control_fields (struct control_ctx *ctx, struct hr_error *err)
{
  char path[512];
  cleanup_free char *why = NULL;
  cleanup_free char *allow = NULL;

  (void) err;
  if (!spec_unknown_field (ctx->spec, "", path, sizeof path))
    return 0;
  why = hr_xasprintf ("%s is not a field runc 1.1 reads, so hardrun cannot judge what it would do",
                      path);
  allow = hr_xasprintf ("removing %s from the config", path);
  control_refuse (ctx, path, NULL, why, allow);
  return 0;
}
