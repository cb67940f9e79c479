#include "config.h"
#include "decide/exec_process.h"

#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "policy/policy.h"
#include "spec/spec.h"

static const char *const cap_sets[] = { "bounding", "effective", "inheritable", "permitted",
                                        "ambient" };

static void
add (struct outcome *out, const char *control, const char *path, const struct json *before,
     const struct json *after, const char *why)
{
  decision_add (&out->decision, DECISION_CHANGE, control, path, before, after, why, NULL);
}

/* Each set of the process cut to the container's same set. */
static void
cut_capabilities (struct json *process, const struct json *container, struct outcome *out)
{
  struct json *caps = spec_get (process, "capabilities");
  const struct json *own = spec_get (container, "capabilities");

  for (size_t s = 0; json_is (caps, JSON_OBJECT) && s < sizeof cap_sets / sizeof cap_sets[0]; s++)
    {
      struct json *set = spec_get (caps, cap_sets[s]);
      const struct json *allowed = spec_get (own, cap_sets[s]);
      cleanup_json struct json *kept = json_new_array ();
      bool dropped = false;

      if (!json_is (set, JSON_ARRAY))
        continue;
      for (size_t i = 0; i < set->arr.len; i++)
        {
          const char *name = json_string (set->arr.items[i]);
          if (name != NULL && json_array_has_string (allowed, name))
            json_array_append (kept, json_clone (set->arr.items[i]));
          else
            dropped = true;
        }
      if (dropped)
        {
          cleanup_free char *path = hr_xasprintf ("process.capabilities.%s", cap_sets[s]);
          add (out, "capabilities", path, set, kept, "cut to the container's own set");
          spec_set (caps, cap_sets[s], steal_pointer (&kept));
        }
    }
}

/* field takes the container's value (or goes, when the container has none). */
static void
follow_container (struct json *process, const struct json *container, const char *field,
                  const char *control, struct outcome *out)
{
  const struct json *want = spec_get (container, field);
  struct json *have = spec_get (process, field);
  cleanup_free char *path = hr_xasprintf ("process.%s", field);
  bool want_set = json_string (want) && json_string (want)[0];
  bool have_set = json_string (have) && json_string (have)[0];

  if (want_set && have_set && strcmp (json_string (want), json_string (have)) == 0)
    return;
  if (!want_set && !have_set)
    return;
  add (out, control, path, have, want_set ? want : NULL, "the container's own label");
  if (want_set)
    spec_set (process, field, json_clone (want));
  else
    for (size_t i = process->obj.len; i-- > 0;)
      if (json_key_folds_to (process->obj.members[i].key, process->obj.members[i].key_len, field))
        json_object_remove_at (process, i);
}

static char *
label_widens (const struct json *container, const struct json *process, const char *field)
{
  const char *want = json_string (spec_get (container, field));
  const char *have = json_string (spec_get (process, field));

  if ((want ? want : "")[0] == '\0' && (have ? have : "")[0] == '\0')
    return NULL;
  if (want != NULL && have != NULL && strcmp (want, have) == 0)
    return NULL;
  return hr_xasprintf ("process.%s: %s instead of the container's %s", field, have ? have : "none",
                       want ? want : "none");
}

char *
exec_process_widens (const struct json *container, const struct json *process)
{
  const struct json *caps = spec_get (process, "capabilities");
  const struct json *own = spec_get (container, "capabilities");
  const struct json *nnp = spec_get (process, "noNewPrivileges");
  const struct json *own_nnp = spec_get (container, "noNewPrivileges");
  char *why;

  for (size_t s = 0; s < sizeof cap_sets / sizeof cap_sets[0]; s++)
    {
      const struct json *set = spec_get (caps, cap_sets[s]);
      for (size_t i = 0; json_is (set, JSON_ARRAY) && i < set->arr.len; i++)
        {
          const char *name = json_string (set->arr.items[i]);
          if (name == NULL || !json_array_has_string (spec_get (own, cap_sets[s]), name))
            return hr_xasprintf ("process.capabilities.%s: %s", cap_sets[s], name ? name : "?");
        }
    }
  if (json_is (own_nnp, JSON_BOOL) && own_nnp->boolean && !(json_is (nnp, JSON_BOOL) && nnp->boolean))
    return hr_xstrdup ("process.noNewPrivileges: false");
  if ((why = label_widens (container, process, "apparmorProfile")) != NULL)
    return why;
  return label_widens (container, process, "selinuxLabel");
}

struct json *
exec_init_prefix (const struct json *args)
{
  const char *first = json_is (args, JSON_ARRAY) && args->arr.len > 0 ? json_string (args->arr.items[0]) : NULL;
  struct json *prefix;

  if (first == NULL || !landlock_is_init_path (first))
    return NULL;
  prefix = json_new_array ();
  for (size_t i = 0; i < args->arr.len; i++)
    {
      const char *a = json_string (args->arr.items[i]);
      /* an exec is no pid 1 to reap; nor is it scoped: its domain is not
         the workload's, and `kill -HUP 1` or `nginx -s reload` from an
         exec must still reach the workload, as under runc alone */
      if (a != NULL && (strcmp (a, "-R") == 0 || strcmp (a, "-s") == 0))
        continue;
      json_array_append (prefix, json_clone (args->arr.items[i]));
      if (a != NULL && strcmp (a, "--") == 0)
        return prefix;
    }
  json_free (prefix);
  return NULL;
}

/* An exec runs behind the container's hardrun-init and ruleset: runc exec
 * processes are not the init's children, so they go through it too. */
static void
behind_init (struct json *process, const struct json *container, struct outcome *out)
{
  const struct json *prefix = spec_get (container, "init");
  const struct json *args = spec_get (process, "args");
  cleanup_json struct json *inner = NULL;
  cleanup_json struct json *wrapped = NULL;

  if (!json_is (prefix, JSON_ARRAY) || !json_is (args, JSON_ARRAY) || args->arr.len == 0)
    return;
  /* a process file cannot bring a ruleset of its own in place of the
     container's */
  inner = landlock_unwrapped_args (args);
  wrapped = json_clone (prefix);
  for (size_t i = 0; i < (inner ? inner : args)->arr.len; i++)
    json_array_append (wrapped, json_clone ((inner ? inner : args)->arr.items[i]));
  add (out, "landlock", "process.args", args, wrapped, "the exec runs behind the container's Landlock ruleset");
  spec_set (process, "args", steal_pointer (&wrapped));
}

/* The process file, loaded into out. */
static int
decide_loaded (const struct json *container, struct outcome *out, struct hr_error *err)
{
  struct json *process = out->spec.root;
  const struct json *caps;

  caps = spec_get (process, "capabilities");
  control_fields_judge (process, "process", &out->policy, &out->decision);

  /* docker exec --privileged: asked for, so refused, not quietly cut */
  if (out->policy.actions[CONTROL_PRIVILEGED] != ACTION_OFF)
    for (size_t d = 0; d < out->policy.dangerous_caps.len; d++)
      for (size_t s = 0; s < sizeof cap_sets / sizeof cap_sets[0]; s++)
        if (json_array_has_string (spec_get (caps, cap_sets[s]), out->policy.dangerous_caps.items[d]))
          {
            cleanup_free char *path = hr_xasprintf ("process.capabilities.%s", cap_sets[s]);
            cleanup_free char *why = hr_xasprintf ("the exec asks for %s, a dangerous capability",
                                                   out->policy.dangerous_caps.items[d]);
            cleanup_free char *allow = hr_xasprintf ("profiles.%s.controls.privileged = \"audit\"",
                                                     out->policy.name);
            cleanup_json struct json *v = json_new_string (out->policy.dangerous_caps.items[d]);
            decision_add (&out->decision,
                          out->policy.actions[CONTROL_PRIVILEGED] == ACTION_AUDIT ? DECISION_FINDING
                                                                                  : DECISION_REFUSAL,
                          "privileged", path, v, NULL, why, allow);
            break;
          }

  cut_capabilities (process, container, out);
  {
    struct json *nnp = spec_get (process, "noNewPrivileges");
    if (!(json_is (nnp, JSON_BOOL) && nnp->boolean))
      {
        cleanup_json struct json *yes = json_new_bool (true);
        add (out, "no_new_privileges", "process.noNewPrivileges", nnp, yes, "noNewPrivileges must be true");
        spec_set (process, "noNewPrivileges", steal_pointer (&yes));
      }
  }
  follow_container (process, container, "apparmorProfile", "apparmor", out);
  follow_container (process, container, "selinuxLabel", "selinux", out);
  behind_init (process, container, out);

  return outcome_finish (out, err);
}

int
exec_process_decide (const struct json *container, int dirfd, const char *name,
                     struct outcome *out, struct hr_error *err)
{
  if (outcome_load (out, dirfd, name, SPEC_PROCESS, err) < 0)
    return -1;
  return decide_loaded (container, out, err);
}

int
exec_process_decide_bytes (const struct json *container, char *raw, size_t len, struct outcome *out,
                           struct hr_error *err)
{
  if (outcome_load_bytes (out, raw, len, SPEC_PROCESS, err) < 0)
    return -1;
  return decide_loaded (container, out, err);
}
