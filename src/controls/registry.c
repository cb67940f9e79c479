#include "config.h"
#include "controls/control.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/cleanup.h"
#include "policy/policy.h"

struct control_def
{
  const char *name;
  control_fn run;
};

static const struct control_def controls[CONTROL_COUNT] = {
  [CONTROL_PRIVILEGED] = { "privileged", control_privileged },
  [CONTROL_HOST_NAMESPACES] = { "host_namespaces", control_host_namespaces },
  [CONTROL_HOST_MOUNTS] = { "host_mounts", control_host_mounts },
  [CONTROL_SYSCTLS] = { "sysctls", control_sysctls },
  [CONTROL_USER] = { "user", control_user },
  [CONTROL_ENV_SECRETS] = { "env_secrets", control_env_secrets },
  [CONTROL_RESOURCES] = { "resources", control_resources },
  [CONTROL_CAPABILITIES] = { "capabilities", control_capabilities },
  [CONTROL_NO_NEW_PRIVILEGES] = { "no_new_privileges", control_no_new_privileges },
  [CONTROL_READONLY_ROOTFS] = { "readonly_rootfs", control_readonly_rootfs },
  [CONTROL_MASKED_PATHS] = { "masked_paths", control_masked_paths },
  [CONTROL_SECCOMP] = { "seccomp", control_seccomp },
  [CONTROL_APPARMOR] = { "apparmor", control_apparmor },
  [CONTROL_SELINUX] = { "selinux", control_selinux },
};

static const char *const action_names[] = {
  [ACTION_OFF] = "off",
  [ACTION_AUDIT] = "audit",
  [ACTION_DENY] = "deny",
  [ACTION_ENFORCE] = "enforce",
};

const char *
control_name (enum control_id id)
{
  return id < CONTROL_COUNT ? controls[id].name : "?";
}

int
control_from_name (const char *name, enum control_id *out)
{
  for (int i = 0; i < CONTROL_COUNT; i++)
    if (strcmp (controls[i].name, name) == 0)
      {
        *out = (enum control_id) i;
        return 0;
      }
  return -1;
}

const char *
control_action_name (enum control_action a)
{
  return action_names[a];
}

int
control_action_from_name (const char *name, enum control_action *out)
{
  for (size_t i = 0; i < sizeof action_names / sizeof action_names[0]; i++)
    if (strcmp (action_names[i], name) == 0)
      {
        *out = (enum control_action) i;
        return 0;
      }
  return -1;
}

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
      if (controls[i].run (&ctx, err) < 0)
        return hr_error_wrap (err, "%s", controls[i].name);
    }
  return 0;
}
