/* A deny-by-default seccomp filter: hardrun's profile, resolved against the
 * container's final capabilities and the host's architectures, unless the
 * config already carries a filter that allows nothing the profile denies. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "controls/seccomp_profile.h"
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
          if (name == NULL || string_list_contains (out, name))
            continue;
          out->items = hr_xrealloc (out->items, (out->len + 1) * sizeof *out->items);
          out->items[out->len++] = hr_xstrdup (name);
        }
    }
}

/* The log records what a filter is, not its hundreds of names. */
static struct json *
filter_summary (const struct json *filter, const char *source)
{
  struct json *o;
  const struct json *rules = spec_get (filter, "syscalls");
  const struct json *def = spec_get (filter, "defaultAction");

  if (filter == NULL || json_is (filter, JSON_NULL))
    return NULL;
  o = json_new_object ();
  if (source)
    json_object_append (o, "profile", json_new_string (source));
  json_object_append (o, "defaultAction", def ? json_clone (def) : json_new_null ());
  json_object_append (o, "rules", json_new_uint (json_is (rules, JSON_ARRAY) ? rules->arr.len : 0));
  return o;
}

int
control_seccomp (struct control_ctx *ctx, struct hr_error *err)
{
  struct string_list caps;
  cleanup_json struct json *resolved = NULL;
  cleanup_json struct json *before = NULL;
  cleanup_json struct json *after = NULL;
  struct json *existing = spec_get_path (ctx->spec, "linux", "seccomp", NULL);
  char reason[512];
  int r;

  if (ctx->policy->seccomp_profile == NULL)
    return hr_error_set (err, 0, "no seccomp profile loaded");
  collect_caps (ctx->spec, &caps);
  r = seccomp_profile_resolve (ctx->policy->seccomp_profile, &caps, ctx->host,
                               ctx->policy->seccomp_compat_arches, &resolved, err);
  string_list_release (&caps);
  if (r < 0)
    return hr_error_wrap (err, "%s", ctx->policy->seccomp_source);

  if (existing == NULL || json_is (existing, JSON_NULL))
    snprintf (reason, sizeof reason, "the config has no seccomp filter");
  else if (!seccomp_filter_weaker (existing, resolved, reason, sizeof reason))
    {
      control_note (ctx, "linux.seccomp",
                    "kept the config's filter: it denies by default and allows nothing "
                    "hardrun's profile denies");
      return 0;
    }

  before = filter_summary (existing, NULL);
  after = filter_summary (resolved, ctx->policy->seccomp_source);
  if (control_propose (ctx, "linux.seccomp", before, after, reason))
    spec_set (spec_ensure_object (ctx->spec, "linux", NULL), "seccomp", steal_pointer (&resolved));
  return 0;
}
