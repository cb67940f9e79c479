#include "config.h"
#include "decide/outcome.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "cli/container.h"
#include "controls/control.h"
#include "record/decision_log.h"
#include "runtime/delegate.h"
#include "cli/refusal.h"
#include "policy/workload.h"

uint64_t
monotonic_us (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
}

int
outcome_load (struct outcome *out, int dirfd, const char *name, enum spec_kind kind,
              struct hr_error *err)
{
  if (spec_load (dirfd, name, kind, &out->spec, err) < 0)
    {
      /* The digest of what was there, even when it cannot be parsed. */
      if (out->spec.raw != NULL)
        sha256_hex (out->spec.raw, out->spec.raw_len, out->sha256_before);
      return -1;
    }
  sha256_hex (out->spec.raw, out->spec.raw_len, out->sha256_before);
  memcpy (out->sha256_after, out->sha256_before, sizeof out->sha256_after);
  return 0;
}

int
outcome_finish (struct outcome *out, struct hr_error *err)
{
  out->verdict = decision_verdict (&out->decision);
  if (out->verdict == VERDICT_MODIFY)
    {
      if (spec_serialize (&out->spec, false, &out->new_text, &out->new_len, err) < 0)
        return -1;
      sha256_hex (out->new_text, out->new_len, out->sha256_after);
    }
  return 0;
}

int
outcome_decide (const struct hr_config *cfg, struct host_facts *host,
                struct mcs_allocator *mcs, int dirfd, const char *name, struct outcome *out,
                struct hr_error *err)
{
  struct workload wl;
  struct hr_error select_err = { 0 };

  memset (out, 0, sizeof *out);
  if (outcome_load (out, dirfd, name, SPEC_CONFIG, err) < 0)
    return -1;

  /* the paths the config names, and what they tell of the workload */
  host_facts_probe_spec (host, out->spec.root);
  workload_from_spec (out->spec.root, &out->workload);
  if (out->workload.fields[WL_NAME] == NULL && host->engine_name != NULL)
    {
      out->engine_name = hr_xstrdup (host->engine_name);
      out->workload.fields[WL_NAME] = out->engine_name;
    }
  wl = out->workload;
  if (config_select_profile (cfg, &wl, &out->selection, &select_err) < 0)
    {
      /* A workload asking for a profile it may not have is refused; the
       * default profile still decides the rest, for the record. */
      decision_add (&out->decision, DECISION_REFUSAL, "selection", "annotations[\"" WORKLOAD_PROFILE_ANNOTATION "\"]",
                    NULL, NULL, select_err.msg, NULL);
      out->selection.profile = cfg->default_profile;
    }
  if (config_build_profile (cfg, out->selection.profile, true, &out->policy, err) < 0)
    return -1;
  out->have_policy = true;

  if (out->spec.collapsed_keys > 0)
    {
      cleanup_free char *msg = hr_xasprintf (
          "%u duplicate key(s) resolved the way runc reads them (last wins, objects merged), "
          "e.g. %s",
          out->spec.collapsed_keys, out->spec.collapsed_example);
      decision_add (&out->decision, DECISION_CHANGE, "spec", out->spec.collapsed_example, NULL,
                    NULL, msg, NULL);
    }
  if (host->lsm.assumed == NULL)
    host_facts_probe_lsm (host, out->policy.apparmor_profile);
  if (mcs != NULL)
    host->lsm.mcs = *mcs;
  if (controls_run (out->spec.root, &out->policy, host, &out->decision, err) < 0)
    return -1;
  return outcome_finish (out, err);
}

char *
outcome_refusal_message (const struct outcome *o)
{
  const struct decision_item *r = decision_first_refusal (&o->decision);
  size_t count = 0;

  if (r == NULL)
    return NULL;
  for (size_t i = 0; i < o->decision.len; i++)
    count += o->decision.items[i].kind == DECISION_REFUSAL;
  char more[96] = "";
  if (count > 1)
    snprintf (more, sizeof more, " (and %zu more refusal%s: hardrun check shows all)", count - 1,
              count > 2 ? "s" : "");
  return hr_xasprintf ("hardrun: refused by profile \"%s\" (rule %s%s): %s: %s: %s%s%s%s",
                       o->policy.name ? o->policy.name : "?", o->selection.rule ? o->selection.rule : "?",
                       o->selection.requested ? ", requested by the workload" : "", r->control,
                       r->path, r->message ? r->message : "", r->allow ? "; to allow it: " : "",
                       r->allow ? r->allow : "", more);
}

void
outcome_release (struct outcome *o)
{
  spec_release (&o->spec);
  decision_release (&o->decision);
  if (o->have_policy)
    policy_release (&o->policy);
  free (o->new_text);
  free (o->engine_name);
  memset (o, 0, sizeof *o);
}

static char *
absolute_bundle (const char *bundle)
{
  char buf[PATH_MAX];
  if (realpath (bundle, buf) != NULL)
    return hr_xstrdup (buf);
  return hr_xstrdup (bundle);
}

int
launch_hardened (const struct runc_argv *args, int argc, char *const argv[], uint64_t start_us)
{
  struct hr_config cfg;
  struct host_facts host = { 0 };
  struct outcome out = { 0 };
  struct hr_error err = { 0 };
  cleanup_close int dirfd = -1;
  cleanup_free char *bundle = absolute_bundle (args->bundle ? args->bundle : ".");
  cleanup_free char *line = NULL;
  cleanup_free char *msg = NULL;
  const char *failure = NULL;
  struct mcs_state mcs = { 0 };
  struct mcs_allocator allocator;
  struct after_exec writer = { 0 };
  bool audit;
  int status;

  if (getenv (HARDRUN_DELEGATED_ENV) != NULL)
    return refusal_report (args, "hardrun: the delegate runtime leads back to hardrun; set "
                                 "\"runtime\" in the configuration to the real runc");
  if (config_load (&cfg, &err) < 0)
    {
      msg = hr_xasprintf ("hardrun: invalid configuration, every launch is refused: %s", err.msg);
      config_release (&cfg);
      return refusal_report (args, msg);
    }

  dirfd = open (bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0)
    failure = (hr_error_set (&err, errno, "bundle %s", bundle), err.msg);
  else if (host_facts_probe (&host, &err) < 0)
    failure = err.msg;
  else
    {
      mcs.state_dir = cfg.state_dir;
      mcs.runc_root = args->root ? args->root : "/run/runc";
      mcs.container_id = args->container_id;
      mcs.now = time (NULL);
      mcs_allocator_state (&allocator, &mcs);
      if (outcome_decide (&cfg, &host, &allocator, dirfd, "config.json", &out, &err) < 0)
        failure = err.msg;
    }
  audit = out.have_policy ? out.policy.mode == MODE_AUDIT : cfg.mode == MODE_AUDIT;

  if (failure == NULL && !audit && out.verdict == VERDICT_MODIFY
      && spec_write_atomic (dirfd, "config.json", out.new_text, out.new_len, out.spec.mode,
                            out.spec.uid, out.spec.gid, &err) < 0)
    failure = err.msg;

  {
    struct launch_record rec = {
      .command = runc_command_name (args->command),
      .container_id = args->container_id,
      .bundle = bundle,
      .delegate = cfg.runtime,
      .outcome = &out,
      .mode = mode_name (audit ? MODE_AUDIT : MODE_ENFORCE),
      .verdict = failure ? "deny" : verdict_name (out.verdict, audit),
      .error = failure,
      .hardrun_us = monotonic_us () - start_us,
    };
    if (failure != NULL || audit)
      rec.sha256_after_override = out.sha256_before; /* nothing was written */
    line = launch_record_json (&rec);

    if (failure != NULL)
      msg = hr_xasprintf ("hardrun: cannot apply the policy to %s/config.json, the container "
                          "was not started: %s",
                          bundle, failure);
    else if (!audit)
      msg = outcome_refusal_message (&out);
  }

  if (decision_log_append (cfg.decision_log, line, cfg.syslog, &err) < 0 && msg == NULL)
    msg = hr_xasprintf ("hardrun: cannot record the decision, the container was not started: %s",
                        err.msg);
  if (msg != NULL)
    {
      outcome_release (&out);
      host_facts_release (&host);
      /* a refused container holds no category pair */
      if (mcs.state_dir != NULL)
        mcs_release (&mcs, &err);
      status = refusal_report (args, msg);
      config_release (&cfg);
      return status;
    }
  /* evidence that outlives the container, written once this process is
     the runtime; it reads out, cfg and line, so they stay as they are */
  if (failure == NULL && args->container_id != NULL)
    container_record_launch_after_exec (&writer, &cfg, args, bundle, &out, audit, line);
  delegate_exec (cfg.runtime, argc, argv, &err);
  after_exec_cancel (&writer);
  msg = hr_xasprintf ("hardrun: %s", err.msg);
  outcome_release (&out);
  host_facts_release (&host);
  config_release (&cfg);
  return refusal_report (args, msg);
}

int
launch_lean_runtime (const struct runc_argv *args, char **runtime, int *status)
{
  cleanup_free char *msg = NULL;
  struct hr_error err = { 0 };

  *runtime = NULL;
  if (getenv (HARDRUN_DELEGATED_ENV) != NULL)
    {
      *status = refusal_report (args, "hardrun: the delegate runtime leads back to hardrun; set "
                                      "\"runtime\" in the configuration to the real runc");
      return -1;
    }
  if (config_runtime (runtime, &err) < 0)
    {
      msg = hr_xasprintf ("hardrun: %s", err.msg);
      *status = refusal_report (args, msg);
      return -1;
    }
  return 0;
}

int
launch_passthrough (const struct runc_argv *args, int argc, char *const argv[])
{
  cleanup_free char *runtime = NULL;
  cleanup_free char *msg = NULL;
  struct hr_error err = { 0 };
  int status;

  if (launch_lean_runtime (args, &runtime, &status) < 0)
    return status;
  delegate_exec (runtime, argc, argv, &err);
  msg = hr_xasprintf ("hardrun: %s", err.msg);
  return refusal_report (args, msg);
}
