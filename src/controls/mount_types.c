/* Every mount that is not a bind (host_mounts judges those) is a
 * filesystem the kernel makes for the container: only the types, places
 * and options the profile lists are allowed (proc at /proc, sysfs and
 * cgroup read-only at their places, tmpfs with nosuid and nodev, ...).
 * Anything else (another proc or sysfs, devtmpfs, tracefs, binfmt_misc, a
 * block device's filesystem, overlay naming host paths) is refused. */
#include "config.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "host/paths.h"
#include "policy/policy.h"
#include "spec/spec.h"

static bool
is_bind (const char *type, const struct json *options)
{
  return (type != NULL && strcmp (type, "bind") == 0) || json_array_has_string (options, "bind")
         || json_array_has_string (options, "rbind");
}

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

/* A rule "TYPE DESTINATION [OPTION,...]" of the profile. */
static bool
rule_allows (const char *rule, const char *type, const char *dest, const struct json *options)
{
  char rtype[64], rdest[4096], ropts[1024] = "";
  char *save = NULL;

  if (sscanf (rule, "%63s %4095s %1023s", rtype, rdest, ropts) < 2 || strcmp (rtype, type) != 0)
    return false;
  if (strcmp (rdest, "*") != 0 && fnmatch (rdest, dest, FNM_PATHNAME) != 0)
    return false;
  for (char *o = strtok_r (ropts, ",", &save); o != NULL; o = strtok_r (NULL, ",", &save))
    if (!option_in_effect (options, o))
      return false;
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

  if (is_bind (type, options))
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
                        "profiles.%s.mount_types.allowed",
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
