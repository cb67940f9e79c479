/* Refuse bind mounts of the host's system paths (and of directories that
 * hold one), of / and of container engine sockets, of hardrun's own state,
 * and of paths inside the container's own root, but not the per-container
 * files the engines bind themselves; refuse shared or slave propagation on
 * binds and a shared root. Sources are judged where runc will find them:
 * relative ones in the bundle, symlinks followed. */
#include "config.h"

#include <fnmatch.h>
#include <string.h>
#include <sys/stat.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "controls/host_paths.h"
#include "host/hostfacts.h"
#include "host/paths.h"
#include "policy/policy.h"
#include "spec/spec.h"

/* The container's own root, where it can be told: a source below it passes
 * through the config's own mounts (a proc mounted at /p makes
 * <rootfs>/p/1/root the host's root) or binds the root back in. */
static char *
rootfs_location (const struct control_ctx *ctx)
{
  const char *root = json_string (spec_get_path (ctx->spec, "root", "path", NULL));
  char *lexical = NULL;
  char *at = root ? host_path_location (ctx->host, root, &lexical) : NULL;
  free (lexical);
  return at;
}

static void
refuse_source (struct control_ctx *ctx, const char *path, const char *source, const char *shown,
               const char *why, const char *matched, bool allowable)
{
  cleanup_free char *msg = matched ? hr_xasprintf ("bind mount of %s: %s (%s)", shown, why, matched)
                                   : hr_xasprintf ("bind mount of %s: %s", shown, why);
  cleanup_free char *allow = allowable ? hr_xasprintf ("adding a pattern for it to "
                                                       "profiles.%s.host_mounts.allowed_paths+",
                                                       ctx->policy->name)
                                       : NULL;
  cleanup_json struct json *value = json_new_string (source);
  control_refuse (ctx, path, value, msg, allow);
}

bool
mount_read_only (const struct json *options)
{
  bool ro = false;

  for (size_t i = 0; json_is (options, JSON_ARRAY) && i < options->arr.len; i++)
    {
      const char *o = json_string (options->arr.items[i]);
      if (o != NULL && (strcmp (o, "ro") == 0 || strcmp (o, "rro") == 0))
        ro = true;
      else if (o != NULL && (strcmp (o, "rw") == 0 || strcmp (o, "rrw") == 0))
        ro = false;
    }
  return ro;
}

/* A path the engines bind read-only, bound writable. */
static void
refuse_read_write (struct control_ctx *ctx, const char *path, const char *source, const char *shown)
{
  cleanup_free char *msg = hr_xasprintf ("bind mount of %s: allowed read-only only, and this one is "
                                         "writable",
                                         shown);
  cleanup_json struct json *value = json_new_string (source);
  control_refuse (ctx, path, value, msg, "binding it read-only (docker/podman: -v SRC:DST:ro)");
}

static void
judge_source (struct control_ctx *ctx, const char *path, const char *source, bool ro, const char *rootfs)
{
  const struct path_fact *fact = host_facts_path (ctx->host, source);
  const struct bind_use use = { ro, fact != NULL && fact->id.known && S_ISDIR (fact->id.mode) };
  const struct bind_use as_read_only = { true, use.is_dir };
  cleanup_free char *lexical = NULL;
  cleanup_free char *at = host_path_location (ctx->host, source, &lexical);
  const char *matched = NULL;
  const char *shown;
  const char *why;

  if (at == NULL)
    {
      refuse_source (ctx, path, source, source, "a relative source, and the bundle is not known", NULL,
                     false);
      return;
    }
  /* a source that holds the root (the bundle itself, say) shows it
   * unmasked and writable beside the hardened one */
  if (rootfs != NULL
      && ((path_is_within (rootfs, at) && strcmp (rootfs, at) != 0)
          || (lexical && path_is_within (rootfs, lexical) && strcmp (rootfs, lexical) != 0)))
    {
      refuse_source (ctx, path, source, at,
                     "it holds the container's own root, which it would show unmasked and writable", NULL,
                     false);
      return;
    }
  if (rootfs != NULL && (path_is_within (at, rootfs) || (lexical && path_is_within (lexical, rootfs))))
    {
      refuse_source (ctx, path, source, at,
                     "inside the container's own root: it would pass through the config's own mounts "
                     "or bind the root back in",
                     NULL, false);
      return;
    }
  /* a symlink must not smuggle a refused path in under another name */
  shown = lexical;
  why = lexical ? host_path_refusal (ctx->policy, lexical, &use, &matched) : NULL;
  if (why == NULL && (lexical == NULL || strcmp (at, lexical) != 0))
    {
      why = host_path_refusal (ctx->policy, at, &use, &matched);
      shown = at;
    }
  if (why != NULL && !ro && host_path_refusal (ctx->policy, shown, &as_read_only, &matched) == NULL)
    refuse_read_write (ctx, path, source, shown);
  else if (why != NULL)
    refuse_source (ctx, path, source, shown, why, matched, strstr (why, "hardrun's own") == NULL);
}

static void
judge_propagation (struct control_ctx *ctx, const char *path, const char *what, const char *option)
{
  cleanup_free char *msg = hr_xasprintf ("%s with %s propagation would let mounts cross between host "
                                         "and container",
                                         what, option);
  cleanup_json struct json *value = json_new_string (option);
  control_refuse (ctx, path, value, msg, NULL);
}

int
control_host_mounts (struct control_ctx *ctx, struct hr_error *err)
{
  const struct json *mounts = spec_get (ctx->spec, "mounts");
  const char *root_propagation = json_string (spec_get_path (ctx->spec, "linux", "rootfsPropagation", NULL));
  cleanup_free char *rootfs = rootfs_location (ctx);

  (void) err;
  for (size_t i = 0; json_is (mounts, JSON_ARRAY) && i < mounts->arr.len; i++)
    {
      const struct json *m = mounts->arr.items[i];
      const char *source = json_string (spec_get (m, "source"));
      const struct json *options = spec_get (m, "options");
      cleanup_free char *path = hr_xasprintf ("mounts[%zu]", i);

      if (!spec_mount_is_bind (m) || source == NULL)
        continue;
      judge_source (ctx, path, source, mount_read_only (options), rootfs);
      for (const char *const *o = (const char *const[]){ "shared", "rshared", "slave", "rslave", NULL };
           *o; o++)
        if (json_array_has_string (options, *o))
          {
            cleanup_free char *what = hr_xasprintf ("bind mount of %s", source);
            judge_propagation (ctx, path, what, *o);
          }
    }
  /* a shared root makes every mount the container makes the host's too */
  if (root_propagation != NULL && (strcmp (root_propagation, "shared") == 0 || strcmp (root_propagation, "rshared") == 0))
    judge_propagation (ctx, "linux.rootfsPropagation", "the container's root", root_propagation);
  return 0;
}
