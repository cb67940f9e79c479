/* A deny-by-default seccomp filter: hardrun's profile, resolved against the
 * container's final capabilities and the host's architectures. A config's
 * own filter that allows nothing the profile denies is kept; a weaker one is
 * merged with the profile (seccomp_merge.c), so that its stricter rules and
 * its notify agent survive; one that cannot be merged soundly is replaced. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "host/paths.h"
#include "controls/seccomp_merge.h"
#include "controls/seccomp_profile.h"
#include "learn/lookup.h"
#include "policy/policy.h"
#include "spec/spec.h"

/* Every capability the process may hold in any set. */
static void
collect_caps (const struct json *spec, struct string_list *out)
{
  static const char *const sets[] = { "bounding", "effective", "inheritable", "permitted", "ambient" };
  const struct json *caps = spec_get_path (spec, "process", "capabilities", NULL);

  out->items = NULL;
  out->len = 0;
  for (size_t s = 0; s < sizeof sets / sizeof sets[0]; s++)
    {
      const struct json *set = spec_get (caps, sets[s]);
      for (size_t i = 0; json_is (set, JSON_ARRAY) && i < set->arr.len; i++)
        {
          const char *name = json_string (set->arr.items[i]);
          if (name != NULL)
            string_list_add_unique (out, name);
        }
    }
}

/* The log records what a filter is, not its hundreds of names. */
static struct json *
filter_summary (const struct json *filter, const char *source, bool merged)
{
  struct json *o;
  const struct json *rules = spec_get (filter, "syscalls");
  const struct json *def = spec_get (filter, "defaultAction");

  if (filter == NULL || json_is (filter, JSON_NULL))
    return NULL;
  o = json_new_object ();
  if (source)
    json_object_append (o, "profile", json_new_string (source));
  if (merged)
    json_object_append (o, "merged_with_config", json_new_bool (true));
  json_object_append (o, "defaultAction", def ? json_clone (def) : json_new_null ());
  json_object_append (o, "rules", json_new_uint (json_is (rules, JSON_ARRAY) ? rules->arr.len : 0));
  return o;
}

/* runc connects to the agent's socket on the host and hands it the
 * container's notify fd: never an engine's socket or hardrun's own state. */
static const char *
listener_refusal (const struct control_ctx *ctx, const struct json *existing)
{
  const char *listener = json_string (spec_get (existing, "listenerPath"));

  if (listener == NULL || listener[0] == '\0')
    return NULL;
  if (listener[0] != '/')
    return "its notify agent's socket is not an absolute path (runc connects to it on the host)";
  if (string_list_contains (&ctx->policy->socket_names, strrchr (listener, '/') + 1))
    return "its notify agent's socket is named as an engine's socket";
  for (size_t i = 0; i < ctx->policy->protected_paths.len; i++)
    if (path_is_within (listener, ctx->policy->protected_paths.items[i]))
      return "its notify agent's socket lies in hardrun's own state";
  return NULL;
}

/* A filter whose agent is one of hardrun's: what an earlier launch of
 * this bundle wrote. Replacing it with the profile is never weaker. */
static bool
made_for_own_agent (const struct control_ctx *ctx, const struct json *existing)
{
  const char *listener = json_string (spec_get (existing, "listenerPath"));
  return listener != NULL && ctx->host->learned != NULL && path_is_within (listener, ctx->host->learned->agent_dir);
}

/* What runc itself refuses of a notify agent's filter: refused here too,
 * with the reason, rather than replaced (the agent silently lost). */
static const char *
notify_refusal (const struct json *existing)
{
  const struct json *rules = spec_get (existing, "syscalls");
  const char *def = json_string (spec_get (existing, "defaultAction"));

  if (def != NULL && strcmp (def, "SCMP_ACT_NOTIFY") == 0)
    return "SCMP_ACT_NOTIFY as the default action, which runc refuses";
  for (size_t r = 0; json_is (rules, JSON_ARRAY) && r < rules->arr.len; r++)
    {
      const char *action = json_string (spec_get (rules->arr.items[r], "action"));
      if (action != NULL && strcmp (action, "SCMP_ACT_NOTIFY") == 0
          && json_array_has_string (spec_get (rules->arr.items[r], "names"), "write"))
        return "SCMP_ACT_NOTIFY for write, which runc refuses (the agent could not be told)";
    }
  return NULL;
}

/* What to install for a config's weaker filter: its merge with `resolved`,
 * or, where no sound merge exists, `resolved` itself. */
static struct json *
merge_or_replace (const struct json *existing, struct json **resolved, char *reason, size_t len,
                  bool *merged)
{
  struct seccomp_merge_counts counts;
  struct hr_error merr = { 0 };
  struct json *out = NULL;
  char what[384];
  size_t k = strlen (reason);

  /* the everyday case, told cheaply: the merge would be the profile */
  if (seccomp_filter_within (existing, *resolved))
    {
      if (k < len)
        snprintf (reason + k, len - k, "; merged with hardrun's profile, which is the stricter everywhere");
      *merged = true;
      return steal_pointer (resolved);
    }
  *merged = seccomp_filter_merge (existing, *resolved, &out, &counts, what, sizeof what, &merr)
            == 0;
  if (k < len)
    snprintf (reason + k, len - k, "; %s%.400s", *merged ? "" : "replaced, no sound merge: ",
              *merged ? what : merr.msg);
  return *merged ? out : steal_pointer (resolved);
}

int
control_seccomp (struct control_ctx *ctx, struct hr_error *err)
{
  struct string_list caps;
  cleanup_json struct json *resolved = NULL;
  cleanup_json struct json *install = NULL;
  cleanup_json struct json *before = NULL;
  cleanup_json struct json *after = NULL;
  struct json *existing = spec_get_path (ctx->spec, "linux", "seccomp", NULL);
  char reason[1024];
  const char *why = NULL;
  bool merged = false;
  int r;

  if (ctx->policy->seccomp_profile == NULL)
    return hr_error_set (err, 0, "no seccomp profile loaded");
  collect_caps (ctx->spec, &caps);
  r = seccomp_profile_resolve (ctx->policy->seccomp_profile, &caps, ctx->host,
                               ctx->policy->seccomp_compat_arches, ctx->policy->seccomp_builtin, &resolved, err);
  string_list_release (&caps);
  if (r < 0)
    return hr_error_wrap (err, "%s", ctx->policy->seccomp_source);

  if (made_for_own_agent (ctx, existing))
    {
      /* this bundle ran before under a learning profile: decided afresh */
      control_note (ctx, "linux.seccomp", "replaced the filter hardrun made for its own agent at an "
                                          "earlier launch of this bundle");
      existing = NULL;
    }
  if (existing != NULL && !json_is (existing, JSON_NULL) && (why = listener_refusal (ctx, existing)) != NULL)
    {
      cleanup_json struct json *value = json_clone (spec_get (existing, "listenerPath"));
      control_refuse (ctx, "linux.seccomp.listenerPath", value, why, NULL);
      return 0;
    }
  if (existing != NULL && !json_is (existing, JSON_NULL) && (why = notify_refusal (existing)) != NULL)
    {
      control_refuse (ctx, "linux.seccomp.syscalls", NULL, why, NULL);
      return 0;
    }
  if (existing == NULL || json_is (existing, JSON_NULL))
    {
      snprintf (reason, sizeof reason, "the config has no seccomp filter");
      install = steal_pointer (&resolved);
    }
  else if (!seccomp_filter_weaker (existing, resolved, reason, sizeof reason))
    {
      control_note (ctx, "linux.seccomp",
                    "kept the config's filter: it denies by default and allows nothing "
                    "hardrun's profile denies");
      return 0;
    }
  else
    install = merge_or_replace (existing, &resolved, reason, sizeof reason, &merged);
  if (merged && json_equal (install, existing))
    {
      /* a filter merged before: merging again changes nothing */
      control_note (ctx, "linux.seccomp", "kept the config's filter: it is already merged "
                                          "with hardrun's profile");
      return 0;
    }

  before = filter_summary (existing, NULL, false);
  after = filter_summary (install, ctx->policy->seccomp_source, merged);
  if (control_propose (ctx, "linux.seccomp", before, after, reason))
    spec_set (spec_ensure_object (ctx->spec, "linux", NULL), "seccomp", steal_pointer (&install));
  return 0;
}
