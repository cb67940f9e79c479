/* root.path becomes the container's "/": the bundle's own rootfs (a path
 * inside the bundle, symlinks followed), the top of an overlay mount (how
 * Docker, podman and containerd mount an image for one container, wherever
 * their data lives), a path the profile's patterns allow, or any other
 * directory a bind mount could show (host_paths.h). The host's root, a
 * host system path, a directory holding one and hardrun's own state are
 * refused. */
#include "config.h"

#include <fnmatch.h>
#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "controls/host_paths.h"
#include "host/paths.h"
#include "policy/policy.h"
#include "spec/spec.h"

static bool
pattern_allows (const struct policy *p, const char *resolved)
{
  for (size_t i = 0; i < p->rootfs_allowed.len; i++)
    if (fnmatch (p->rootfs_allowed.items[i], resolved, FNM_PATHNAME) == 0)
      return true;
  return false;
}

/* Why root.path (where it is: `at`) may not be the container's root, or
 * NULL. */
static const char *
refusal (const struct control_ctx *ctx, const char *at, const char **matched)
{
  cleanup_free char *bundle = ctx->host->bundle ? path_clean (ctx->host->bundle) : NULL;

  if (strcmp (at, "/") == 0)
    return "the host's root";
  /* an operator's pattern may name even the bundle (its config.json then
   * shows inside, read-only) */
  if (pattern_allows (ctx->policy, at))
    return NULL;
  if (bundle != NULL && strcmp (at, bundle) == 0)
    return "the bundle itself";
  if ((bundle != NULL && path_is_within (at, bundle)) || ctx->host->root_is_overlay_mount)
    return NULL;
  return host_path_refusal (ctx->policy, at, NULL, matched);
}

int
control_rootfs (struct control_ctx *ctx, struct hr_error *err)
{
  const char *path = json_string (spec_get_path (ctx->spec, "root", "path", NULL));
  cleanup_free char *at = NULL;
  cleanup_free char *lexical = NULL;
  cleanup_free char *why = NULL;
  cleanup_free char *allow = NULL;
  cleanup_json struct json *value = NULL;
  const char *matched = NULL;
  const char *reason;

  (void) err;
  if (path == NULL)
    return 0; /* runc refuses a config without a root */
  /* resolved now, or (when it does not exist, and runc could not use it
   * either) as runc would join it to the bundle */
  at = host_path_location (ctx->host, path, &lexical);
  reason = at ? refusal (ctx, at, &matched) : "relative, and the bundle is not known";
  if (reason == NULL)
    return 0;
  value = json_new_string (path);
  why = matched ? hr_xasprintf ("root.path %s is %s: %s (%s)", path, at ? at : path, reason, matched)
                : hr_xasprintf ("root.path %s is %s: %s", path, at ? at : path, reason);
  /* no pattern opens the host's root */
  allow = at && strcmp (at, "/") == 0 ? NULL
                                      : hr_xasprintf ("adding \"%s\" to profiles.%s.rootfs.allowed_paths+",
                                                      at ? at : path, ctx->policy->name);
  control_refuse (ctx, "root.path", value, why, allow);
  return 0;
}
