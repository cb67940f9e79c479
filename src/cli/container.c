#include "config.h"
#include "cli/container.h"

#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "base/clock.h"
#include "cli/refusal.h"
#include "cli/runtime.h"
#include "record/decision_log.h"
#include "runtime/delegate.h"
#include "runtime/runc_state.h"

int
engine_command_of (enum runc_command cmd)
{
  switch (cmd)
    {
    case CMD_EXEC:
      return ENGINE_EXEC;
    case CMD_CHECKPOINT:
      return ENGINE_CHECKPOINT;
    case CMD_UPDATE:
      return ENGINE_UPDATE;
    case CMD_PAUSE:
      return ENGINE_PAUSE;
    case CMD_RESUME:
      return ENGINE_RESUME;
    case CMD_KILL:
      return ENGINE_KILL;
    default:
      return -1;
    }
}

const char *
record_profile_name (const struct json *rec, const struct hr_config *cfg)
{
  const char *name = json_string (json_object_get (rec, "profile"));
  return name != NULL ? name : cfg->default_profile;
}

struct json *
command_line_head (const char *time, const struct runc_argv *args, const char *delegate,
                   const char *profile, const struct json *rec)
{
  struct json *line = json_new_object ();
  const struct json *workload = json_object_get (rec, "workload");

  json_object_append (line, "time", json_new_string (time));
  json_object_append (line, "command", json_new_string (args->command_name));
  json_object_append (line, "id", json_new_string (args->container_id));
  json_object_append (line, "delegate", json_new_string (delegate));
  json_object_append (line, "profile", json_new_string (profile));
  json_object_append (line, "workload", workload ? json_clone (workload) : json_new_object ());
  return line;
}

void
container_call_release (struct container_call *c)
{
  outcome_release (&c->out);
  config_release (&c->cfg);
  json_free (c->rec);
  json_free (c->line);
  free (c->line_text);
  free (c->msg);
  free (c->stdin_copy);
  runc_argv_free (c->argv);
  memset (c, 0, sizeof *c);
}

int
container_call_refuse (struct container_call *c)
{
  int status = refusal_report (c->call->args, c->msg);
  container_call_release (c);
  return status;
}

int
container_call_configure (struct container_call *c, const struct verb_call *call, int *status)
{
  struct hr_error err = { 0 };

  c->call = call;
  c->engine_cmd = engine_command_of (call->args->command);
  if (config_load (&c->cfg, &err) < 0)
    {
      c->msg = hr_xasprintf ("hardrun: invalid configuration, refusing to run any command: %s", err.msg);
      *status = container_call_refuse (c);
      return -1;
    }
  return 0;
}

/* The profile that decides the command: the record's, else the default. */
static int
build_profile (struct container_call *c, struct hr_error *err)
{
  if (config_build_profile (&c->cfg, c->profile_name, false, &c->out.policy, err) < 0)
    {
      policy_release (&c->out.policy);
      c->profile_name = c->cfg.default_profile;
      if (config_build_profile (&c->cfg, c->profile_name, false, &c->out.policy, err) < 0)
        return -1;
    }
  c->out.have_policy = true;
  return 0;
}

/* The profile's "commands": a command it does not allow is refused. */
static void
apply_command_policy (struct container_call *c)
{
  enum engine_command cmd = (enum engine_command) c->engine_cmd;
  cleanup_free char *why = NULL;
  cleanup_free char *allow = NULL;

  if (!c->out.have_policy || !c->out.policy.command_denied[cmd])
    return;
  why = hr_xasprintf ("the profile does not allow %s", engine_command_name (cmd));
  allow = hr_xasprintf ("profiles.%s.commands.%s = \"allow\"", c->out.policy.name, engine_command_name (cmd));
  decision_add (&c->out.decision, DECISION_REFUSAL, "commands", c->call->args->command_name, NULL, NULL,
                why, allow);
}

int
container_call_open (struct container_call *c, int *status)
{
  const struct runc_argv *args = c->call->args;
  struct hr_error err = { 0 };
  char now[64];

  c->key = (struct record_key){ c->cfg.state_dir, runc_root (args->root), args->container_id };
  if (record_load (&c->key, &c->rec, &err) < 0)
    c->rec = NULL; /* a container hardrun did not start, or has forgotten */
  c->profile_name = record_profile_name (c->rec, &c->cfg);
  c->out.selection.rule = c->rec ? "record" : "default_profile";
  /* only the commands a profile can refuse need the profile itself
   * (measured: building it is most of a lifecycle command's own time) */
  if (c->engine_cmd >= 0 && build_profile (c, &err) < 0)
    {
      c->msg = hr_xasprintf ("hardrun: %s", err.msg);
      *status = container_call_refuse (c);
      return -1;
    }
  c->audit = c->out.have_policy && c->out.policy.mode == MODE_AUDIT;
  rfc3339_now (now, sizeof now);
  c->line = command_line_head (now, args, c->cfg.runtime, c->profile_name, c->rec);
  apply_command_policy (c);
  return 0;
}

int
container_call_begin (struct container_call *c, const struct verb_call *call, int *status)
{
  if (container_call_configure (c, call, status) < 0)
    return -1;
  return container_call_open (c, status);
}

void
container_call_seal (struct container_call *c)
{
  struct hr_error err = { 0 };

  c->out.verdict = decision_verdict (&c->out.decision);
  json_object_append (c->line, "mode", json_new_string (mode_name (c->audit ? MODE_AUDIT : MODE_ENFORCE)));
  json_object_append (c->line, "decision", json_new_string (verdict_name (c->out.verdict, c->audit)));
  if (c->out.decision.len > 0)
    json_object_append (c->line, "items", decision_items_json (&c->out.decision));
  if (json_write (c->line, 0, &c->line_text, NULL, &err) < 0)
    c->line_text = hr_xstrdup ("{}");
}

/* The line goes to the decision log; when it cannot, a command that goes
 * ahead says so in --log (an exec does not go ahead). */
static void
log_line (struct container_call *c)
{
  struct hr_error err = { 0 };
  cleanup_free char *warn = NULL;

  if (decision_log_append (c->cfg.decision_log, c->line_text, c->cfg.syslog, &err) == 0)
    return;
  warn = hr_xasprintf ("hardrun: decision log: %s", err.msg);
  if (c->out.verdict == VERDICT_DENY || c->msg != NULL)
    ; /* the refusal says enough */
  else if (c->lost_line_refuses)
    c->msg = hr_xasprintf ("hardrun: cannot record the exec, it was not started: %s", err.msg);
  else
    refusal_warn (c->call->args, warn);
}

int
container_call_end (struct container_call *c)
{
  const struct verb_call *call = c->call;
  int status;

  log_line (c);
  if (c->msg == NULL && c->out.verdict == VERDICT_DENY && !c->audit)
    c->msg = outcome_refusal_message (&c->out);
  if (c->msg != NULL)
    return container_call_refuse (c);
  outcome_release (&c->out);
  if (c->stdin_copy != NULL && delegate_stdin_from (c->stdin_copy, c->stdin_len) < 0)
    {
      c->msg = hr_xstrdup ("hardrun: cannot hand the update's resources to runc");
      return container_call_refuse (c);
    }
  status = runtime_become (call->args, c->cfg.runtime, c->argv ? c->argc : call->argc, c->argv ? c->argv : call->argv, NULL);
  container_call_release (c);
  return status;
}
