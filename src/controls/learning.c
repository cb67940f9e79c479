/* Learned least privilege: the seccomp filter the seccomp control settled,
 * narrowed to what the workload was recorded doing (src/learn/filter.h).
 * While a workload is recorded its allowed syscalls are notified to
 * hardrun's agent; once its profile is promoted, what it never did is
 * answered ENOSYS and logged. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "host/paths.h"
#include "learn/filter.h"
#include "learn/lookup.h"
#include "policy/policy.h"
#include "spec/spec.h"

/* How many of the filter's names each action gets, for the log. */
static struct json *
learning_summary (const struct json *filter, enum learning_mode mode, const char *name)
{
  static const char *const actions[] = { "SCMP_ACT_ALLOW", "SCMP_ACT_NOTIFY", "SCMP_ACT_LOG" };
  static const char *const labels[] = { "allowed", "notified", "logged" };
  const struct json *rules = spec_get (filter, "syscalls");
  struct json *o = json_new_object ();
  uint64_t n[3] = { 0 };

  json_object_append (o, "learning", json_new_string (learning_mode_name (mode)));
  json_object_append (o, "learned_profile", json_new_string (name));
  for (size_t r = 0; json_is (rules, JSON_ARRAY) && r < rules->arr.len; r++)
    {
      const char *action = json_string (spec_get (rules->arr.items[r], "action"));
      const struct json *names = spec_get (rules->arr.items[r], "names");
      for (size_t a = 0; action != NULL && a < 3; a++)
        if (strcmp (action, actions[a]) == 0 && json_is (names, JSON_ARRAY))
          n[a] += names->arr.len;
    }
  for (size_t a = 0; a < 3; a++)
    json_object_append (o, labels[a], json_new_uint (n[a]));
  return o;
}

/* Why the launch cannot learn, or NULL. */
static const char *
learning_refusal (const struct learned_match *m, const struct json *filter)
{
  const char *listener = json_string (spec_get (filter, "listenerPath"));

  if (m->error != NULL)
    return m->error;
  if (!json_is (filter, JSON_OBJECT))
    return "learning narrows hardrun's seccomp filter, and the config has none (the seccomp control is off)";
  if (listener != NULL && listener[0] != '\0' && !path_is_within (listener, m->agent_dir))
    return "the config's seccomp filter has a notify agent of its own; the recorder cannot listen beside it";
  return NULL;
}

static void
refuse (struct control_ctx *ctx, const char *why)
{
  cleanup_free char *allow = hr_xasprintf ("profiles.%s.learning = \"off\"", ctx->policy->name);
  control_refuse (ctx, "linux.seccomp", NULL, why, allow);
}

int
control_learning (struct control_ctx *ctx, struct hr_error *err)
{
  const struct learned_match *m = ctx->host->learned;
  struct json *filter = spec_get_path (ctx->spec, "linux", "seccomp", NULL);
  int k = learned_match_index (ctx->spec);
  cleanup_json struct json *after = NULL;
  cleanup_json struct json *before = NULL;
  cleanup_json struct json *summary = NULL;
  cleanup_free char *placeholder = NULL;
  cleanup_free char *why = NULL;
  enum learning_mode mode;
  const char *refusal;

  if (ctx->policy->learning == LEARNING_OFF)
    return 0;
  if (m == NULL || m->name[k] == NULL)
    return hr_error_set (err, 0, "learning: the learned profiles were not looked up");
  if ((refusal = learning_refusal (m, filter)) != NULL)
    {
      refuse (ctx, refusal);
      return 0;
    }
  mode = learned_effective_mode (ctx->policy->learning, m->profile[k]);
  if (mode == LEARNING_OFF)
    {
      why = hr_xasprintf ("no promoted learned profile %s for this workload: record it first "
                          "(learning \"record\") or import one (hardrun learned import)",
                          m->name[k]);
      refuse (ctx, why);
      return 0;
    }
  /* `check` has no container, so no socket yet: the filter shows where */
  if (m->listener == NULL)
    placeholder = hr_xasprintf ("%s/CONTAINER.sock", m->agent_dir);
  after = learn_filter (filter, mode, m->profile[k], mode == LEARNING_COMPLAIN ? NULL : m->listener ? m->listener : placeholder);
  if (json_equal (after, filter))
    return 0;
  summary = learning_summary (after, mode, m->name[k]);
  before = learning_summary (filter, LEARNING_OFF, m->name[k]);
  why = hr_xasprintf ("%s %s", mode == LEARNING_RECORD ? "recording the workload into" : mode == LEARNING_COMPLAIN ? "logging what is not in" : "enforcing",
                      m->name[k]);
  if (control_propose (ctx, "linux.seccomp", before, summary, why))
    spec_set (spec_ensure_object (ctx->spec, "linux", NULL), "seccomp", steal_pointer (&after));
  return 0;
}
