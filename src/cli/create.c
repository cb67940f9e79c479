/* create, run and restore: the hardened path. The bundle's config.json is
 * decided (decide/outcome.h), written back when the verdict modifies it,
 * the decision logged, and the runtime exec'd; the record of the launch is
 * written once this process is the runtime. */
#include "config.h"
#include "cli/verbs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent/agent.h"
#include "base/cleanup.h"
#include "base/clock.h"
#include "cli/refusal.h"
#include "cli/runtime.h"
#include "decide/outcome.h"
#include "host/hostfacts.h"
#include "host/mcs.h"
#include "learn/learned.h"
#include "policy/configuration.h"
#include "record/container_record.h"
#include "record/decision_log.h"
#include "runtime/after_exec.h"
#include "runtime/runc_state.h"

/* One launch, from the bundle to the exec. */
struct launch
{
  const struct runc_argv *args;
  char *bundle; /* absolute */
  struct hr_config cfg;
  struct host_facts host;
  struct outcome out;
  struct hr_error err;
  int dirfd;
  const char *failure; /* why the policy could not be applied, or NULL */
  struct mcs_state mcs;
  struct mcs_allocator allocator;
  bool audit;
  char *line; /* the decision line */
  char *msg;  /* the refusal, or NULL */
  pid_t agent; /* the seccomp agent started for the container, or 0 */
  char *runc_state;
};

static char *
absolute_bundle (const char *bundle)
{
  char buf[PATH_MAX];
  if (realpath (bundle, buf) != NULL)
    return hr_xstrdup (buf);
  return hr_xstrdup (bundle);
}

/* restore takes the container's processes, their credentials and memory
 * from a checkpoint image, which hardrun cannot judge: only a profile that
 * allows it lets it through. */
static void
judge_restore (struct launch *l)
{
  cleanup_free char *allow = NULL;

  if (!l->out.policy.command_denied[ENGINE_RESTORE])
    return;
  allow = hr_xasprintf ("profiles.%s.commands.restore = \"allow\"", l->out.policy.name);
  decision_add (&l->out.decision, DECISION_REFUSAL, "commands", "restore", NULL, NULL,
                "the profile does not allow restore: its processes come from a checkpoint image "
                "hardrun cannot judge",
                allow);
  l->out.verdict = VERDICT_DENY;
}

/* A learning container's agent, listening before runc runs: where the
 * decided filter names hardrun's own socket for this container. */
static void
launch_start_agent (struct launch *l)
{
  const struct learned_match *m = &l->out.learned;
  const struct json *seccomp = spec_get_path (l->out.spec.root, "linux", "seccomp", NULL);
  const char *listener = json_string (spec_get (seccomp, "listenerPath"));
  int k = learned_match_index (l->out.spec.root);
  struct agent_job job;

  if (m->listener == NULL || listener == NULL || strcmp (listener, m->listener) != 0 || m->name[k] == NULL)
    return;
  l->runc_state = hr_xasprintf ("%s/%s", runc_root (l->args->root), l->args->container_id);
  job = (struct agent_job){
    .mode = learned_effective_mode (l->out.policy.learning, m->profile[k]),
    .socket_path = m->listener,
    .state_dir = l->cfg.state_dir,
    .container_id = l->args->container_id,
    .runc_state = l->runc_state,
    .name = m->name[k],
    .key = m->key[k],
    .promote_after = l->out.policy.learning_promote_after,
    .decision_log = l->cfg.decision_log,
    .syslog = l->cfg.syslog,
  };
  if (agent_start (&job, &l->agent, &l->err) < 0)
    l->failure = l->err.msg;
}

/* Decide for the bundle's config.json, and write it back when the verdict
 * modifies it (not in audit). Sets l->failure when that cannot be done. */
static void
launch_decide (struct launch *l)
{
  l->dirfd = open (l->bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (l->dirfd < 0)
    l->failure = (hr_error_set (&l->err, errno, "bundle %s", l->bundle), l->err.msg);
  else if (host_facts_probe (&l->host, &l->err) < 0)
    l->failure = l->err.msg;
  else
    {
      l->host.bundle = l->bundle;
      l->host.systemd_cgroup = l->args->systemd_cgroup;
      l->host.container_id = l->args->container_id;
      l->host.runc_root = runc_root (l->args->root);
      l->mcs.state_dir = l->cfg.state_dir;
      l->mcs.runc_root = runc_root (l->args->root);
      l->mcs.container_id = l->args->container_id;
      l->mcs.now = time (NULL);
      mcs_allocator_state (&l->allocator, &l->mcs);
      if (outcome_decide (&l->cfg, &l->host, &l->allocator, l->dirfd, "config.json", &l->out, &l->err) < 0)
        l->failure = l->err.msg;
    }
  l->audit = l->out.have_policy ? l->out.policy.mode == MODE_AUDIT : l->cfg.mode == MODE_AUDIT;
  if (l->failure == NULL && l->args->command == CMD_RESTORE)
    judge_restore (l);

  if (l->failure == NULL && !l->audit && l->out.verdict == VERDICT_MODIFY)
    launch_start_agent (l);
  if (l->failure == NULL && !l->audit && l->out.verdict == VERDICT_MODIFY
      && spec_write_atomic (l->dirfd, "config.json", l->out.new_text, l->out.new_len, l->out.spec.mode,
                            l->out.spec.uid, l->out.spec.gid, &l->err) < 0)
    l->failure = l->err.msg;
}

/* The decision line, and the refusal when the launch may not go ahead. */
static void
launch_judge (struct launch *l, uint64_t start_us)
{
  struct launch_record rec = {
    .command = runc_command_name (l->args->command),
    .container_id = l->args->container_id,
    .bundle = l->bundle,
    .delegate = l->cfg.runtime,
    .outcome = &l->out,
    .mode = mode_name (l->audit ? MODE_AUDIT : MODE_ENFORCE),
    .verdict = l->failure ? "deny" : verdict_name (l->out.verdict, l->audit),
    .error = l->failure,
    .hardrun_us = monotonic_us () - start_us,
  };
  if (l->failure != NULL || l->audit)
    rec.sha256_after_override = l->out.sha256_before; /* nothing was written */
  l->line = launch_record_json (&rec);

  if (l->failure != NULL)
    l->msg = hr_xasprintf ("hardrun: cannot apply the policy to %s/config.json, the container "
                           "was not started: %s",
                           l->bundle, l->failure);
  else if (!l->audit)
    l->msg = outcome_refusal_message (&l->out);
}

static void
launch_release (struct launch *l)
{
  outcome_release (&l->out);
  host_facts_release (&l->host);
  config_release (&l->cfg);
  if (l->dirfd >= 0)
    close (l->dirfd);
  free (l->bundle);
  free (l->line);
  free (l->msg);
  free (l->runc_state);
}

static int
launch_refuse (struct launch *l)
{
  int status;

  /* a refused container holds no category pair, and needs no agent */
  if (l->mcs.state_dir != NULL)
    mcs_release (&l->mcs, &l->err);
  if (l->agent > 0)
    {
      kill (l->agent, SIGKILL);
      unlink (l->out.learned.listener);
    }
  status = refusal_report (l->args, l->msg);
  launch_release (l);
  return status;
}

int
verb_create (const struct verb_call *call)
{
  struct launch l = { .args = call->args, .dirfd = -1 };
  struct after_exec writer = { 0 };
  int status;

  l.bundle = absolute_bundle (call->args->bundle ? call->args->bundle : ".");
  if (runtime_loops_back (call->args, &status))
    {
      free (l.bundle);
      return status;
    }
  if (config_load (&l.cfg, &l.err) < 0)
    {
      l.msg = hr_xasprintf ("hardrun: invalid configuration, every launch is refused: %s", l.err.msg);
      return launch_refuse (&l);
    }
  launch_decide (&l);
  launch_judge (&l, call->start_us);
  if (decision_log_append (l.cfg.decision_log, l.line, l.cfg.syslog, &l.err) < 0 && l.msg == NULL)
    l.msg = hr_xasprintf ("hardrun: cannot record the decision, the container was not started: %s",
                          l.err.msg);
  if (l.msg != NULL)
    return launch_refuse (&l);
  /* evidence that outlives the container, written once this process is
     the runtime; it reads l, so l stays as it is until the exec */
  if (l.failure == NULL && call->args->container_id != NULL)
    container_record_launch_after_exec (&writer, &l.cfg, call->args->root, call->args->container_id,
                                        l.bundle, &l.out, l.audit, l.line);
  status = runtime_become (call->args, l.cfg.runtime, call->argc, call->argv, &writer);
  launch_release (&l);
  return status;
}
