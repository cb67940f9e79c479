#include "config.h"
#include "learn/filter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "host/paths.h"
#include "spec/spec.h"

/* what runc and Go need before the agent has the fd, and Landlock's own
 * calls: they only take rights away, and hardrun-init refuses to start a
 * workload whose filter hides Landlock from it */
static const char *const learn_floor[] = {
  "brk",          "clock_gettime",  "clock_nanosleep", "close",       "epoll_ctl",
  "epoll_pwait",  "epoll_wait",     "exit",            "exit_group",  "futex",
  "getpid",       "getrandom",      "gettid",          "madvise",     "mmap",
  "mprotect",     "munmap",         "nanosleep",       "read",        "restart_syscall",
  "rt_sigaction", "rt_sigprocmask", "rt_sigreturn",    "sched_yield", "sigaltstack",
  "tgkill",       "tkill",          "write",           "landlock_add_rule",
  "landlock_create_ruleset",        "landlock_restrict_self",
};
static const size_t learn_floor_len = sizeof learn_floor / sizeof learn_floor[0];

bool
learn_floor_has (const char *name)
{
  for (size_t i = 0; i < learn_floor_len; i++)
    if (strcmp (learn_floor[i], name) == 0)
      return true;
  return false;
}

static bool
is_allow (const struct json *rule)
{
  const char *action = json_string (spec_get (rule, "action"));
  return action != NULL && strcmp (action, "SCMP_ACT_ALLOW") == 0;
}

/* The rule with other names and action (its conditions kept). */
static struct json *
rule_with (const struct json *rule, struct json *names, const char *action, int errno_ret)
{
  struct json *out = json_clone (rule);

  json_object_set (out, "names", names);
  json_object_set (out, "action", json_new_string (action));
  for (size_t i = out->obj.len; i-- > 0;)
    if (strcmp (out->obj.members[i].key, "errnoRet") == 0)
      json_object_remove_at (out, i);
  if (errno_ret > 0)
    json_object_append (out, "errnoRet", json_new_uint ((uint64_t) errno_ret));
  return out;
}

/* Whether a name of an allowing rule stays allowed as it is. */
static bool
stays_allowed (const char *name, enum learning_mode mode, const struct json *learned)
{
  if (learn_floor_has (name))
    return true;
  if (mode == LEARNING_RECORD)
    return false;
  return learned_has (learned, LEARNED_SYSCALLS, name);
}

/* An allowing rule, split: the names that stay allowed, and the rest with
 * the mode's action, in that order. */
static void
split_rule (struct json *rules, const struct json *rule, enum learning_mode mode, const struct json *learned,
            const char *listener)
{
  const struct json *names = spec_get (rule, "names");
  struct json *keep = json_new_array (), *rest = json_new_array ();
  const char *action = mode == LEARNING_COMPLAIN ? "SCMP_ACT_LOG" : listener ? "SCMP_ACT_NOTIFY" : "SCMP_ACT_ERRNO";

  for (size_t i = 0; json_is (names, JSON_ARRAY) && i < names->arr.len; i++)
    {
      const char *name = json_string (names->arr.items[i]);
      if (name != NULL)
        json_array_append (stays_allowed (name, mode, learned) ? keep : rest, json_new_string (name));
    }
  if (keep->arr.len > 0)
    json_array_append (rules, rule_with (rule, keep, "SCMP_ACT_ALLOW", 0));
  else
    json_free (keep);
  if (rest->arr.len > 0)
    json_array_append (rules, rule_with (rule, rest, action, strcmp (action, "SCMP_ACT_ERRNO") == 0 ? ENOSYS : 0));
  else
    json_free (rest);
}

struct json *
learn_filter (const struct json *filter, enum learning_mode mode, const struct json *learned,
              const char *listener)
{
  struct json *out = json_clone (filter);
  const struct json *rules = spec_get (filter, "syscalls");
  struct json *split = json_new_array ();

  for (size_t r = 0; json_is (rules, JSON_ARRAY) && r < rules->arr.len; r++)
    {
      const struct json *rule = rules->arr.items[r];
      if (is_allow (rule))
        split_rule (split, rule, mode, learned, listener);
      else
        json_array_append (split, json_clone (rule));
    }
  json_object_set (out, "syscalls", split);
  if (listener != NULL && mode != LEARNING_COMPLAIN)
    json_object_set (out, "listenerPath", json_new_string (listener));
  return out;
}

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (json_string (*(struct json *const *) a), json_string (*(struct json *const *) b));
}

static bool
profile_allows (const struct json *profile, const char *name)
{
  const struct json *rules = spec_get (profile, "syscalls");

  for (size_t r = 0; json_is (rules, JSON_ARRAY) && r < rules->arr.len; r++)
    if (is_allow (rules->arr.items[r]) && json_array_has_string (spec_get (rules->arr.items[r], "names"), name))
      return true;
  return false;
}

struct json *
learn_allowed_names (const struct json *learned, const struct json *profile)
{
  struct json *names = json_new_array ();
  const struct json *seen = learned_section (learned, LEARNED_SYSCALLS);

  for (size_t i = 0; i < learn_floor_len; i++)
    if (profile_allows (profile, learn_floor[i]))
      json_array_append (names, json_new_string (learn_floor[i]));
  for (size_t i = 0; json_is (seen, JSON_OBJECT) && i < seen->obj.len; i++)
    {
      const char *name = seen->obj.members[i].key;
      if (!learn_floor_has (name) && profile_allows (profile, name))
        json_array_append (names, json_new_string (name));
    }
  if (names->arr.len > 1)
    qsort (names->arr.items, names->arr.len, sizeof *names->arr.items, compare_strings);
  return names;
}

struct json *
learn_filter_export (const struct json *learned, const struct json *resolved)
{
  struct json *out = learn_filter (resolved, LEARNING_ENFORCE, learned, NULL);

  json_object_set (out, "hardrun", json_clone (learned));
  return out;
}

struct json *
learn_profile_names (const struct json *filter)
{
  struct json *names = json_new_array ();
  const struct json *rules = spec_get (filter, "syscalls");

  for (size_t r = 0; json_is (rules, JSON_ARRAY) && r < rules->arr.len; r++)
    {
      const struct json *list = spec_get (rules->arr.items[r], "names");
      for (size_t i = 0; is_allow (rules->arr.items[r]) && json_is (list, JSON_ARRAY) && i < list->arr.len; i++)
        {
          const char *name = json_string (list->arr.items[i]);
          if (name != NULL && !json_array_has_string (names, name))
            json_array_append (names, json_new_string (name));
        }
    }
  if (names->arr.len > 1)
    qsort (names->arr.items, names->arr.len, sizeof *names->arr.items, compare_strings);
  return names;
}

char *
learn_scratch_dir (const char *written)
{
  static const char *const never[] = { "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64",
                                       "/libx32", "/proc", "/sbin", "/sys", "/usr" };
  cleanup_free char *clean = written && written[0] == '/' ? path_clean (written) : NULL;
  char *slash = clean ? strrchr (clean, '/') : NULL;

  if (slash == NULL || slash == clean)
    return NULL; /* the root itself, or not a path */
  *slash = '\0';
  for (size_t i = 0; i < sizeof never / sizeof never[0]; i++)
    if (path_is_within (clean, never[i]))
      return NULL;
  return steal_pointer (&clean);
}

void
learn_scratch_dirs (const struct json *profile, struct string_list *l)
{
  const struct json *written = profile ? learned_section (profile, LEARNED_WRITTEN) : NULL;

  for (size_t i = 0; json_is (written, JSON_OBJECT) && i < written->obj.len; i++)
    {
      cleanup_free char *dir = learn_scratch_dir (written->obj.members[i].key);
      if (dir != NULL)
        string_list_add_unique (l, dir);
    }
}
