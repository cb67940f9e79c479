#include "config.h"
#include "controls/control.h"

#include <stdarg.h>
#include <stdio.h>

#include "base/cleanup.h"
#include "policy/policy.h"

static char *
action_key (const struct control_ctx *ctx)
{
  return hr_xasprintf ("profiles.%s.controls.%s", ctx->policy->name, control_name (ctx->id));
}

bool
control_propose (struct control_ctx *ctx, const char *path, const struct json *before,
                 const struct json *after, const char *why)
{
  const char *name = control_name (ctx->id);
  cleanup_free char *key = action_key (ctx);

  switch (ctx->action)
    {
    case ACTION_ENFORCE:
      decision_add (ctx->decision, DECISION_CHANGE, name, path, before, after, why, NULL);
      return true;
    case ACTION_DENY:
      {
        cleanup_free char *allow = hr_xasprintf ("%s = \"enforce\" (let hardrun fix it)", key);
        decision_add (ctx->decision, DECISION_REFUSAL, name, path, before, after, why, allow);
        return false;
      }
    case ACTION_AUDIT:
      decision_add (ctx->decision, DECISION_FINDING, name, path, before, after, why, NULL);
      return false;
    case ACTION_OFF:
      break;
    }
  return false;
}

void
control_refuse (struct control_ctx *ctx, const char *path, const struct json *value,
                const char *why, const char *allow_key)
{
  cleanup_free char *key = action_key (ctx);
  cleanup_free char *allow = NULL;

  if (ctx->action == ACTION_OFF)
    return;
  if (ctx->action == ACTION_AUDIT)
    {
      /* a finding: say what would stop it being one, if anything narrower
       * than turning the control off */
      decision_add (ctx->decision, DECISION_FINDING, control_name (ctx->id), path, value, NULL,
                    why, allow_key);
      return;
    }
  allow = allow_key ? hr_xasprintf ("%s, or %s = \"audit\"", allow_key, key)
                    : hr_xasprintf ("%s = \"audit\"", key);
  decision_add (ctx->decision, DECISION_REFUSAL, control_name (ctx->id), path, value, NULL, why,
                allow);
}

void
control_note (struct control_ctx *ctx, const char *path, const char *fmt, ...)
{
  cleanup_free char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  if (vasprintf (&msg, fmt, ap) < 0)
    msg = NULL;
  va_end (ap);
  decision_add (ctx->decision, DECISION_FINDING, control_name (ctx->id), path, NULL, NULL,
                msg ? msg : "?", NULL);
}
