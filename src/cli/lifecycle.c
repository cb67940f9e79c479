#include "config.h"
#include "cli/lifecycle.h"

#include <string.h>

#include "base/cleanup.h"
#include "base/clock.h"
#include "cli/container.h"
#include "cli/runtime.h"
#include "policy/configuration.h"
#include "record/decision_log.h"
#include "runtime/after_exec.h"
#include "runtime/runc_state.h"

struct lifecycle_job
{
  const struct runc_argv *args;
  lifecycle_extend_fn extend;
  struct timespec at; /* when the command came, not when its line is written */
};

/* The mode the container runs under: as its record says it was created,
 * else as its profile says now. */
static bool
container_audits (const struct hr_config *cfg, const struct json *rec, const char *profile_name)
{
  const char *recorded = json_string (json_object_get (rec, "mode"));
  struct policy policy = { 0 };
  struct hr_error err = { 0 };
  bool audit = false;

  if (recorded != NULL)
    return strcmp (recorded, "audit") == 0;
  if (config_build_profile (cfg, profile_name, false, &policy, &err) == 0)
    audit = policy.mode == MODE_AUDIT;
  policy_release (&policy);
  return audit;
}

/* The command's line: what it did, for the log, once runc has it. */
static void
lifecycle_job_run (void *p)
{
  const struct lifecycle_job *job = p;
  const struct runc_argv *args = job->args;
  struct hr_config cfg;
  struct hr_error err = { 0 };
  struct record_key key;
  cleanup_json struct json *rec = NULL;
  cleanup_json struct json *line_obj = NULL;
  cleanup_free char *line = NULL;
  const char *profile_name;
  bool audit;
  char now[64];

  if (config_load (&cfg, &err) < 0)
    {
      /* the runtime ran, so the configuration was readable a moment ago;
         with nothing to log to, there is nothing more to do */
      config_release (&cfg);
      return;
    }
  key = (struct record_key){ cfg.state_dir, runc_root (args->root), args->container_id };
  if (record_load (&key, &rec, &err) < 0)
    rec = NULL; /* a container hardrun did not start, or has forgotten */
  profile_name = record_profile_name (rec, &cfg);
  rfc3339_at (&job->at, now, sizeof now);
  line_obj = command_line_head (now, args, cfg.runtime, profile_name, rec);
  audit = container_audits (&cfg, rec, profile_name);
  if (job->extend != NULL)
    job->extend (line_obj, args, rec, &key, &job->at);
  json_object_append (line_obj, "mode", json_new_string (mode_name (audit ? MODE_AUDIT : MODE_ENFORCE)));
  json_object_append (line_obj, "decision", json_new_string (verdict_name (VERDICT_ALLOW, audit)));
  if (json_write (line_obj, 0, &line, NULL, &err) == 0)
    decision_log_append (cfg.decision_log, line, cfg.syslog, &err);
  config_release (&cfg);
}

int
lifecycle_become_runtime (const struct verb_call *call, const char *runtime, lifecycle_extend_fn extend)
{
  struct after_exec writer = { 0 };
  /* read by the writer after the exec, from the memory it keeps */
  struct lifecycle_job *job = hr_xmalloc (sizeof *job);

  job->args = call->args;
  job->extend = extend;
  clock_gettime (CLOCK_REALTIME, &job->at);
  after_exec_start (&writer, lifecycle_job_run, job);
  return runtime_become (call->args, runtime, call->argc, call->argv, &writer);
}
