#include "config.h"
#include "controls/seccomp_profile.h"

#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>

#include "base/cleanup.h"
#include "spec/spec.h"

static const char *const known_actions[] = {
  "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
  "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", NULL,
};

static const char *const known_ops[] = {
  "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
  "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ", NULL,
};

static bool
in_list (const char *const *list, const char *s)
{
  for (; s && *list; list++)
    if (strcmp (*list, s) == 0)
      return true;
  return false;
}

bool
seccomp_action_allows (const char *action)
{
  /* LOG and TRACE (without a tracer: ENOSYS, with one: its choice) let the
   * call through or hand the decision elsewhere; NOTIFY hands it to an agent. */
  return action == NULL || strcmp (action, "SCMP_ACT_ALLOW") == 0
         || strcmp (action, "SCMP_ACT_LOG") == 0 || strcmp (action, "SCMP_ACT_TRACE") == 0
         || strcmp (action, "SCMP_ACT_NOTIFY") == 0;
}

static bool
syscall_name_known (const char *name)
{
  return seccomp_syscall_resolve_name (name) != __NR_SCMP_ERROR;
}

static int
profile_error (const char *what, size_t rule, struct hr_error *err)
{
  return hr_error_set (err, 0, "seccomp profile: syscalls[%zu]: %s", rule, what);
}

/* OCI spells "SCMP_ARCH_X86_64" what libseccomp calls "x86_64". */
static bool
arch_name_known (const char *s)
{
  char lower[32];
  size_t k = 0;

  if (strncmp (s, "SCMP_ARCH_", 10) != 0)
    return false;
  for (const char *c = s + 10; *c && k + 1 < sizeof lower; c++)
    lower[k++] = (char) (*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
  lower[k] = '\0';
  return seccomp_arch_resolve_name (lower) != 0;
}

/* includes/excludes: {"caps": [...], "arches": [...]} */
static int
check_condition (const struct json *cond, size_t rule, struct hr_error *err)
{
  if (cond == NULL)
    return 0;
  if (!json_is (cond, JSON_OBJECT))
    return profile_error ("includes/excludes must be objects", rule, err);
  for (size_t i = 0; i < cond->obj.len; i++)
    {
      const struct json_member *m = &cond->obj.members[i];
      bool caps = strcmp (m->key, "caps") == 0;
      if (!caps && strcmp (m->key, "arches") != 0)
        return profile_error ("includes/excludes take \"caps\" and \"arches\"", rule, err);
      if (!json_is (m->value, JSON_ARRAY))
        return profile_error ("caps/arches must be arrays", rule, err);
      for (size_t j = 0; j < m->value->arr.len; j++)
        {
          const char *s = json_string (m->value->arr.items[j]);
          cap_value_t cap;
          if (s == NULL)
            return profile_error ("caps/arches must be strings", rule, err);
          if (caps && cap_from_name (s, &cap) < 0)
            return hr_error_set (err, 0, "seccomp profile: syscalls[%zu]: unknown capability %s",
                                 rule, s);
          if (!caps && !arch_name_known (s))
            return hr_error_set (err, 0, "seccomp profile: syscalls[%zu]: unknown architecture %s",
                                 rule, s);
        }
    }
  return 0;
}

static int
check_args (const struct json *args, size_t rule, struct hr_error *err)
{
  if (args == NULL || json_is (args, JSON_NULL))
    return 0;
  if (!json_is (args, JSON_ARRAY))
    return profile_error ("args must be an array", rule, err);
  for (size_t i = 0; i < args->arr.len; i++)
    {
      const struct json *a = args->arr.items[i];
      uint64_t index, v;
      const struct json *two = spec_get (a, "valueTwo");
      if (json_number_to_u64 (spec_get (a, "index"), &index) < 0 || index > 5)
        return profile_error ("args[].index must be 0 to 5", rule, err);
      if (json_number_to_u64 (spec_get (a, "value"), &v) < 0
          || (two != NULL && json_number_to_u64 (two, &v) < 0))
        return profile_error ("args[].value and valueTwo must be unsigned 64-bit integers",
                              rule, err);
      if (!in_list (known_ops, json_string (spec_get (a, "op"))))
        return profile_error ("args[].op is not a known SCMP_CMP_* operator", rule, err);
    }
  return 0;
}

/* includes: every cap held and the native arch listed; excludes: none held
 * and the native arch not listed. */
static bool
rule_applies (const struct json *rule, const struct string_list *caps, const char *native)
{
  const struct json *inc = json_object_get (rule, "includes");
  const struct json *exc = json_object_get (rule, "excludes");
  const struct json *l;

  if ((l = json_object_get (inc, "caps")) != NULL)
    for (size_t i = 0; i < l->arr.len; i++)
      if (!string_list_contains (caps, json_string (l->arr.items[i])))
        return false;
  if ((l = json_object_get (inc, "arches")) != NULL && !json_array_has_string (l, native))
    return false;
  if ((l = json_object_get (exc, "caps")) != NULL)
    for (size_t i = 0; i < l->arr.len; i++)
      if (string_list_contains (caps, json_string (l->arr.items[i])))
        return false;
  if ((l = json_object_get (exc, "arches")) != NULL && json_array_has_string (l, native))
    return false;
  return true;
}

int
seccomp_profile_resolve (const struct json *profile, const struct string_list *caps,
                         const struct host_facts *host, bool compat_arches, bool names_known,
                         struct json **out, struct hr_error *err)
{
  cleanup_json struct json *filter = json_new_object ();
  struct json *arches = json_new_array ();
  struct json *rules = json_new_array ();
  const struct json *syscalls = json_object_get (profile, "syscalls");
  const char *default_action = json_string (json_object_get (profile, "defaultAction"));
  const struct json *errno_ret = json_object_get (profile, "defaultErrnoRet");
  const char *native = host_arch_name (host->native_arch);

  *out = NULL;
  json_object_append (filter, "defaultAction", json_new_string (default_action ? default_action : ""));
  if (errno_ret)
    json_object_append (filter, "defaultErrnoRet", json_clone (errno_ret));
  json_object_append (filter, "architectures", arches);
  json_object_append (filter, "syscalls", rules);
  /* A syscall from an architecture the filter does not list is refused
   * (libseccomp's bad-arch action), so the native one alone is the tighter
   * filter, and runc compiles it several times faster. */
  for (size_t i = 0; i < (compat_arches ? host->n_arches : (host->n_arches > 0 ? 1u : 0u)); i++)
    json_array_append (arches, json_new_string (host->arches[i]));

  if (!json_is (profile, JSON_OBJECT))
    return hr_error_set (err, 0, "seccomp profile: must be a JSON object");
  for (size_t i = 0; i < profile->obj.len; i++)
    {
      const char *k = profile->obj.members[i].key;
      if (strcmp (k, "defaultAction") && strcmp (k, "defaultErrnoRet") && strcmp (k, "syscalls")
          && strcmp (k, "comment"))
        return hr_error_set (err, 0, "seccomp profile: unknown key \"%s\"", k);
    }
  if (!in_list (known_actions, default_action) || seccomp_action_allows (default_action))
    return hr_error_set (err, 0, "seccomp profile: defaultAction must deny (SCMP_ACT_ERRNO, "
                                 "SCMP_ACT_KILL_PROCESS, ...)");
  if (errno_ret != NULL && json_number_to_u64 (errno_ret, &(uint64_t){ 0 }) < 0)
    return hr_error_set (err, 0, "seccomp profile: defaultErrnoRet must be a number");
  if (!json_is (syscalls, JSON_ARRAY))
    return hr_error_set (err, 0, "seccomp profile: syscalls must be an array");

  for (size_t r = 0; r < syscalls->arr.len; r++)
    {
      const struct json *rule = syscalls->arr.items[r];
      const struct json *names = json_object_get (rule, "names");
      const char *action = json_string (json_object_get (rule, "action"));
      const struct json *args = json_object_get (rule, "args");
      const struct json *rule_errno = json_object_get (rule, "errnoRet");
      struct json *emitted;

      if (!json_is (rule, JSON_OBJECT))
        return profile_error ("must be an object", r, err);
      for (size_t i = 0; i < rule->obj.len; i++)
        {
          const char *k = rule->obj.members[i].key;
          if (strcmp (k, "names") && strcmp (k, "action") && strcmp (k, "args")
              && strcmp (k, "errnoRet") && strcmp (k, "includes") && strcmp (k, "excludes")
              && strcmp (k, "comment"))
            return hr_error_set (err, 0, "seccomp profile: syscalls[%zu]: unknown key \"%s\"", r, k);
        }
      if (!json_is (names, JSON_ARRAY) || names->arr.len == 0)
        return profile_error ("names must be a non-empty array", r, err);
      for (size_t i = 0; i < names->arr.len; i++)
        {
          const char *name = json_string (names->arr.items[i]);
          if (name == NULL)
            return profile_error ("names must be strings", r, err);
          /* runc would silently drop a name its libseccomp cannot resolve */
          if (!names_known && !syscall_name_known (name))
            return hr_error_set (err, 0, "seccomp profile: syscalls[%zu]: unknown syscall \"%s\"",
                                 r, name);
        }
      if (!in_list (known_actions, action))
        return profile_error ("action is not a known SCMP_ACT_* action", r, err);
      if (rule_errno != NULL && json_number_to_u64 (rule_errno, &(uint64_t){ 0 }) < 0)
        return profile_error ("errnoRet must be a number", r, err);
      if (check_args (args, r, err) < 0
          || check_condition (json_object_get (rule, "includes"), r, err) < 0
          || check_condition (json_object_get (rule, "excludes"), r, err) < 0)
        return -1;
      if (!rule_applies (rule, caps, native))
        continue;

      /* the filter is only read from here on: the built-in profile's
         compiled-in nodes are shared, not copied */
      emitted = json_new_object ();
      json_object_append (emitted, "names", json_share (names));
      json_object_append (emitted, "action", json_new_string (action));
      if (rule_errno)
        json_object_append (emitted, "errnoRet", json_share (rule_errno));
      if (json_is (args, JSON_ARRAY) && args->arr.len > 0)
        json_object_append (emitted, "args", json_share (args));
      json_array_append (rules, emitted);
    }
  *out = steal_pointer (&filter);
  return 0;
}

bool
seccomp_args_same (const struct json *a, const struct json *b)
{
  size_t na = json_is (a, JSON_ARRAY) ? a->arr.len : 0;
  size_t nb = json_is (b, JSON_ARRAY) ? b->arr.len : 0;

  if (na != nb)
    return false;
  for (size_t i = 0; i < na; i++)
    {
      bool found = false;
      for (size_t j = 0; j < nb && !found; j++)
        {
          const struct json *x = a->arr.items[i], *y = b->arr.items[j];
          uint64_t xi, yi, xv, yv, x2 = 0, y2 = 0;
          const char *xo = json_string (spec_get (x, "op")), *yo = json_string (spec_get (y, "op"));
          if (json_number_to_u64 (spec_get (x, "index"), &xi) < 0
              || json_number_to_u64 (spec_get (y, "index"), &yi) < 0
              || json_number_to_u64 (spec_get (x, "value"), &xv) < 0
              || json_number_to_u64 (spec_get (y, "value"), &yv) < 0 || xo == NULL || yo == NULL)
            continue;
          json_number_to_u64 (spec_get (x, "valueTwo"), &x2);
          json_number_to_u64 (spec_get (y, "valueTwo"), &y2);
          found = xi == yi && xv == yv && x2 == y2 && strcmp (xo, yo) == 0;
        }
      if (!found)
        return false;
    }
  return true;
}

/* Does the reference allow `name` under exactly these args (or always)? */
static bool
reference_allows (const struct json *reference, const char *name, const struct json *args)
{
  const struct json *rules = json_object_get (reference, "syscalls");
  bool conditional = json_is (args, JSON_ARRAY) && args->arr.len > 0;

  for (size_t i = 0; json_is (rules, JSON_ARRAY) && i < rules->arr.len; i++)
    {
      const struct json *rule = rules->arr.items[i];
      const struct json *rargs = json_object_get (rule, "args");
      if (!seccomp_action_allows (json_string (json_object_get (rule, "action")))
          || !json_array_has_string (json_object_get (rule, "names"), name))
        continue;
      if (!json_is (rargs, JSON_ARRAY) || rargs->arr.len == 0)
        return true;
      if (conditional && seccomp_args_same (args, rargs))
        return true;
    }
  return false;
}

bool
seccomp_filter_weaker (const struct json *filter, const struct json *reference, char *reason,
                       size_t reason_len)
{
  const char *def = json_string (spec_get (filter, "defaultAction"));
  const struct json *flags = spec_get (filter, "flags");
  const struct json *rules = spec_get (filter, "syscalls");

  if (def == NULL || !in_list (known_actions, def) || seccomp_action_allows (def))
    {
      snprintf (reason, reason_len, "the filter's defaultAction %s lets unlisted syscalls through",
                def ? def : "(none)");
      return true;
    }
  /* an architecture the reference leaves out (a 32-bit ABI, with its
   * socketcall and ipc multiplexers) is killed by the reference's filter */
  for (size_t i = 0; json_is (spec_get (filter, "architectures"), JSON_ARRAY)
                     && i < spec_get (filter, "architectures")->arr.len;
       i++)
    {
      const char *a = json_string (spec_get (filter, "architectures")->arr.items[i]);
      if (a == NULL || !json_array_has_string (spec_get (reference, "architectures"), a))
        {
          snprintf (reason, reason_len, "the filter admits architecture %s", a ? a : "(invalid)");
          return true;
        }
    }
  for (size_t i = 0; json_is (flags, JSON_ARRAY) && i < flags->arr.len; i++)
    {
      const char *f = json_string (flags->arr.items[i]);
      if (f == NULL
          || (strcmp (f, "SECCOMP_FILTER_FLAG_LOG") != 0 && strcmp (f, "SECCOMP_FILTER_FLAG_TSYNC") != 0))
        {
          snprintf (reason, reason_len, "the filter sets flag %s", f ? f : "(invalid)");
          return true;
        }
    }
  for (size_t r = 0; json_is (rules, JSON_ARRAY) && r < rules->arr.len; r++)
    {
      const struct json *rule = rules->arr.items[r];
      const char *action = json_string (spec_get (rule, "action"));
      const struct json *names = spec_get (rule, "names");
      const struct json *args = spec_get (rule, "args");

      if (!in_list (known_actions, action))
        {
          snprintf (reason, reason_len, "syscalls[%zu] has an unknown action", r);
          return true;
        }
      for (size_t n = 0; json_is (names, JSON_ARRAY) && n < names->arr.len; n++)
        {
          const char *name = json_string (names->arr.items[n]);
          if (name == NULL || !syscall_name_known (name))
            {
              snprintf (reason, reason_len, "syscalls[%zu] names an unknown syscall \"%s\"", r,
                        name ? name : "(invalid)");
              return true;
            }
          if (!seccomp_action_allows (action))
            continue;
          /* a notify agent decides only what hardrun's profile allows */
          if (!reference_allows (reference, name, args))
            {
              snprintf (reason, reason_len, "the filter allows %s%s, which hardrun's profile denies",
                        name, (json_is (args, JSON_ARRAY) && args->arr.len) ? " (with these arguments)" : "");
              return true;
            }
        }
    }
  return false;
}
