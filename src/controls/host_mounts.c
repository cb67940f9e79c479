/* Refuse bind mounts of the host's system paths, of / and of container
 * engine sockets, but not the per-container files the engines bind
 * themselves; refuse shared or slave propagation on binds. */
#include "config.h"

#include <fnmatch.h>
#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "host/paths.h"
#include "policy/policy.h"
#include "spec/spec.h"

static bool
is_bind (const struct json *mount)
{
  const char *type = json_string (spec_get (mount, "type"));
  const struct json *options = spec_get (mount, "options");
  return (type != NULL && strcmp (type, "bind") == 0) || json_array_has_string (options, "bind")
         || json_array_has_string (options, "rbind");
}

static bool
allowed_source (const struct policy *p, const char *path)
{
  for (size_t i = 0; i < p->mount_allowed.len; i++)
    if (fnmatch (p->mount_allowed.items[i], path, 0) == 0)
      return true;
  return false;
}

/* Why this (clean, absolute) host path may not be bound, or NULL. */
static const char *
refused_reason (const struct policy *p, const char *path, const char **matched)
{
  const char *base = strrchr (path, '/');

  base = base ? base + 1 : path;
  if (string_list_contains (&p->socket_names, base))
    {
      *matched = base;
      return "a container engine's socket";
    }
  if (allowed_source (p, path))
    return NULL;
  for (size_t i = 0; i < p->mount_refused.len; i++)
    {
      cleanup_free char *dir = path_clean (p->mount_refused.items[i]);
      if (strcmp (dir, "/") == 0 ? strcmp (path, "/") == 0 : path_is_within (path, dir))
        {
          *matched = p->mount_refused.items[i];
          return "a host system path";
        }
    }
  return NULL;
}

int
control_host_mounts (struct control_ctx *ctx, struct hr_error *err)
{
  const struct json *mounts = spec_get (ctx->spec, "mounts");

  for (size_t i = 0; json_is (mounts, JSON_ARRAY) && i < mounts->arr.len; i++)
    {
      const struct json *m = mounts->arr.items[i];
      const char *source = json_string (spec_get (m, "source"));
      const struct json *options = spec_get (m, "options");
      cleanup_free char *path = hr_xasprintf ("mounts[%zu]", i);

      if (!is_bind (m) || source == NULL)
        continue;
      {
        cleanup_free char *clean = path_clean (source);
        const struct path_fact *fact = host_facts_path (ctx->host, source);
        const char *matched = NULL;
        const char *why = refused_reason (ctx->policy, clean, &matched);
        const char *shown = clean;

        /* a symlink must not smuggle a refused path in under another name */
        if (why == NULL && fact != NULL && fact->resolved != NULL)
          {
            why = refused_reason (ctx->policy, fact->resolved, &matched);
            shown = fact->resolved;
          }
        if (why != NULL)
          {
            cleanup_free char *msg = hr_xasprintf ("bind mount of %s: %s (%s)", shown, why, matched);
            cleanup_free char *allow = hr_xasprintf (
                "adding a pattern for it to profiles.%s.host_mounts.allowed_paths", ctx->policy->name);
            cleanup_json struct json *value = json_new_string (source);
            control_refuse (ctx, path, value, msg, allow);
          }
      }
      for (const char *const *o = (const char *const[]){ "shared", "rshared", "slave", "rslave", NULL };
           *o; o++)
        if (json_array_has_string (options, *o))
          {
            cleanup_free char *msg = hr_xasprintf ("bind mount of %s with %s propagation would let "
                                                   "mounts cross between host and container",
                                                   source, *o);
            cleanup_json struct json *value = json_new_string (*o);
            control_refuse (ctx, path, value, msg, NULL);
          }
    }
  return 0;
}
