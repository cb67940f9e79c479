/* The closed world: a field runc does not read is one hardrun does not
 * understand, so it is refused rather than passed on (spec/fields.h lists
 * every field runc 1.1 reads and the control that judges it). */
#include "config.h"

#include "base/cleanup.h"
#include "controls/control.h"
#include "policy/policy.h"
#include "spec/fields.h"

void
control_fields_judge (const struct json *tree, const char *root, const struct policy *policy,
                      struct decision *decision)
{
  struct control_ctx ctx = { CONTROL_FIELDS, policy->actions[CONTROL_FIELDS], (struct json *) tree, policy,
                             NULL, decision };
  char path[512];
  cleanup_free char *why = NULL;
  cleanup_free char *allow = NULL;

  if (ctx.action == ACTION_OFF || !spec_unknown_field (tree, root, path, sizeof path))
    return;
  why = hr_xasprintf ("%s is not a field runc 1.1 reads, so hardrun cannot judge what it would do",
                      path);
  allow = hr_xasprintf ("removing %s from the config", path);
  control_refuse (&ctx, path, NULL, why, allow);
}

int
control_fields (struct control_ctx *ctx, struct hr_error *err)
{
  (void) err;
  control_fields_judge (ctx->spec, "", ctx->policy, ctx->decision);
  return 0;
}
