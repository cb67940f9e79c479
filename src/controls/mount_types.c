/* Every mount that is not a bind (host_mounts judges those) is a
 * filesystem the kernel makes for the container: only the types, places
 * and options the profile lists are allowed (proc at /proc, sysfs and
 * cgroup read-only at their places, tmpfs with nosuid and nodev, ...).
 * Anything else (another proc or sysfs, devtmpfs, tracefs, binfmt_misc, a
 * block device's filesystem, overlay naming host paths) is refused, and so
 * is a remount of any mount, a bind included. */
#include "config.h"

#include <fnmatch.h>
#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "host/paths.h"
#include "policy/policy.h"
#include "spec/spec.h"

/* What mount(2) is given: the last of an option and its opposite wins. */
static bool
option_in_effect (const struct json *options, const char *want)
{
  static const char *const pairs[][2] = { { "ro", "rw" }, { "nosuid", "suid" }, { "nodev", "dev" },
                                          { "noexec", "exec" } };
  const char *opposite = NULL;
  bool set = false;

  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
    if (strcmp (pairs[i][0], want) == 0)
      opposite = pairs[i][1];
  for (size_t i = 0; json_is (options, JSON_ARRAY) && i < options->arr.len; i++)
    {
      const char *o = json_string (options->arr.items[i]);
      if (o != NULL && strcmp (o, want) == 0)
        set = true;
      else if (o != NULL && opposite != NULL && strcmp (o, opposite) == 0)
        set = false;
    }
  return set;
}

/* The next word of a rule: *len its length, or NULL at the end. */
static const char *
next_word (const char *s, size_t *len)
{
  while (*s == ' ')
    s++;
  *len = strcspn (s, " ");
  return *len ? s : NULL;
}

static bool
word_is (const char *w, size_t len, const char *s)
{
  return strlen (s) == len && memcmp (w, s, len) == 0;
}

/* A rule "TYPE DESTINATION [OPTION,...]" of the profile (its form checked
 * when the profile was read). */
static bool
rule_allows (const char *rule, const char *type, const char *dest, const struct json *options)
{
  size_t n, dn;
  const char *w = next_word (rule, &n);
  const char *d;
  char pattern[4096], opt[256];

  if (w == NULL || !word_is (w, n, type) || (d = next_word (w + n, &dn)) == NULL || dn >= sizeof pattern)
    return false;
  if (!word_is (d, dn, "*"))
    {
      memcpy (pattern, d, dn);
      pattern[dn] = '\0';
      if (fnmatch (pattern, dest, FNM_PATHNAME) != 0)
        return false;
    }
  for (const char *o = next_word (d + dn, &n); o != NULL && n > 0;)
    {
      size_t on = strcspn (o, ",");
      on = on > n ? n : on;
      if (on >= sizeof opt)
        return false;
      memcpy (opt, o, on);
      opt[on] = '\0';
      if (!option_in_effect (options, opt))
        return false;
      if (on == n)
        break;
      n -= on + 1;
      o += on + 1;
    }
  return true;
}

static void
judge_mount (struct control_ctx *ctx, size_t i, const struct json *m)
{
  const char *type = json_string (spec_get (m, "type"));
  const char *dest = json_string (spec_get (m, "destination"));
  const struct json *options = spec_get (m, "options");
  cleanup_free char *clean = dest ? path_clean (dest) : NULL;
  cleanup_free char *path = NULL;
  cleanup_free char *why = NULL;
  cleanup_free char *allow = NULL;
  cleanup_json struct json *value = NULL;

  /* runc mounts with MS_REMOUNT whatever the type says: the mount already
   * at the destination (the container's read-only sysfs, a read-only bind)
   * gets these options instead */
  if (json_array_has_string (options, "remount"))
    {
      path = hr_xasprintf ("mounts[%zu]", i);
      value = json_clone (m);
      why = hr_xasprintf ("a remount of %s would change the options of the mount already there",
                          clean ? clean : "(no destination)");
      control_refuse (ctx, path, value, why, NULL);
      return;
    }
  if (spec_mount_is_bind (m))
    return;
  for (size_t r = 0; type != NULL && clean != NULL && r < ctx->policy->mount_types_allowed.len; r++)
    if (rule_allows (ctx->policy->mount_types_allowed.items[r], type, clean, options))
      return;
  path = hr_xasprintf ("mounts[%zu]", i);
  value = json_clone (m);
  why = hr_xasprintf ("a %s mount at %s with these options is not one the profile allows: the "
                      "kernel would make it for the container, outside the container's limits",
                      type ? type : "(typeless)", clean ? clean : "(no destination)");
  allow = hr_xasprintf ("adding \"%s %s\" (with the options it needs) to "
                        "profiles.%s.mount_types.allowed+",
                        type ? type : "TYPE", clean ? clean : "DESTINATION", ctx->policy->name);
  control_refuse (ctx, path, value, why, allow);
}

int
control_mount_types (struct control_ctx *ctx, struct hr_error *err)
{
  const struct json *mounts = spec_get (ctx->spec, "mounts");

  (void) err;
  for (size_t i = 0; json_is (mounts, JSON_ARRAY) && i < mounts->arr.len; i++)
    judge_mount (ctx, i, mounts->arr.items[i]);
  return 0;
}
