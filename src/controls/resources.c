/* A container without a pids or memory limit can exhaust the host: a
 * finding; with "enforce" and a pids_limit in the profile, that limit is set. */
#include "config.h"

#include "base/cleanup.h"
#include "controls/control.h"
#include "policy/policy.h"
#include "spec/spec.h"

static bool
has_positive_limit (const struct json *v)
{
  int64_t n;
  return v != NULL && json_number_to_i64 (v, &n) == 0 && n > 0;
}

/* A negative oomScoreAdj spares the container before the host's own
 * processes (kubelet gives Guaranteed pods -997: a finding, not a refusal);
 * an Intel RDT class of service is shared with whatever else is in it. */
static void
judge_oom_and_rdt (struct control_ctx *ctx)
{
  const struct json *oom = spec_get_path (ctx->spec, "process", "oomScoreAdj", NULL);
  const struct json *clos = spec_get_path (ctx->spec, "linux", "intelRdt", "closID", NULL);
  int64_t adj = 0;

  if (oom != NULL && json_number_to_i64 (oom, &adj) == 0 && adj < 0)
    decision_add (ctx->decision, DECISION_FINDING, control_name (ctx->id), "process.oomScoreAdj", oom, NULL,
                  "a negative oomScoreAdj: under memory pressure the host's processes die before this "
                  "container's",
                  NULL);
  if (json_string (clos) != NULL)
    control_refuse (ctx, "linux.intelRdt.closID", clos,
                    "an Intel RDT class of service is the host's resctrl group of that name, shared with "
                    "whatever else is in it",
                    NULL);
}

int
control_resources (struct control_ctx *ctx, struct hr_error *err)
{
  const struct json *pids = spec_get_path (ctx->spec, "linux", "resources", "pids", "limit", NULL);
  const struct json *memory = spec_get_path (ctx->spec, "linux", "resources", "memory", "limit", NULL);

  if (!has_positive_limit (pids))
    {
      if (ctx->action == ACTION_ENFORCE && ctx->policy->pids_limit > 0)
        {
          cleanup_json struct json *want = json_new_uint ((uint64_t) ctx->policy->pids_limit);
          if (control_propose (ctx, "linux.resources.pids.limit", pids, want,
                               "no pids limit: a fork bomb could exhaust the host"))
            spec_set (spec_ensure_object (ctx->spec, "linux", "resources", "pids", NULL), "limit",
                      json_clone (want));
        }
      else
        {
          cleanup_free char *allow = hr_xasprintf ("profiles.%s.resources.pids_limit with "
                                                   "profiles.%s.controls.resources = \"enforce\"",
                                                   ctx->policy->name, ctx->policy->name);
          control_refuse (ctx, "linux.resources.pids.limit", pids,
                          "no pids limit: a fork bomb could exhaust the host", allow);
        }
    }
  judge_oom_and_rdt (ctx);
  if (!has_positive_limit (memory))
    {
      /* hardrun has no memory limit to give: under enforce it stays a finding */
      if (ctx->action == ACTION_ENFORCE)
        decision_add (ctx->decision, DECISION_FINDING, control_name (ctx->id),
                      "linux.resources.memory.limit", memory, NULL,
                      "no memory limit: the container could exhaust the host's memory", NULL);
      else
        control_refuse (ctx, "linux.resources.memory.limit", memory,
                        "no memory limit: the container could exhaust the host's memory", NULL);
    }
  return 0;
}
