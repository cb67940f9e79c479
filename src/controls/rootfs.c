/* root.path becomes the container's "/": it must be the bundle's own
 * rootfs (a relative path, or one inside the bundle, symlinks followed), or
 * where an engine keeps this kind of container's root (the profile's
 * patterns: Docker's and podman's overlay "merged" directories). The host's
 * root or any other host directory is refused. */
#include "config.h"

#include <fnmatch.h>
#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
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

/* Where root.path is: resolved now, or (when it does not exist, and runc
 * could not use it either) the path as runc would join it to the bundle. */
static char *
where (const struct control_ctx *ctx, const char *path)
{
  const struct path_fact *fact = host_facts_path (ctx->host, path);
  cleanup_free char *joined = NULL;

  if (fact != NULL && fact->resolved != NULL)
    return hr_xstrdup (fact->resolved);
  if (path[0] == '/')
    return path_clean (path);
  if (ctx->host->bundle == NULL)
    return NULL;
  joined = hr_xasprintf ("%s/%s", ctx->host->bundle, path);
  return path_clean (joined);
}

int
control_rootfs (struct control_ctx *ctx, struct hr_error *err)
{
  const char *path = json_string (spec_get_path (ctx->spec, "root", "path", NULL));
  cleanup_free char *at = NULL;
  cleanup_free char *bundle = NULL;
  cleanup_free char *why = NULL;
  cleanup_free char *allow = NULL;
  cleanup_json struct json *value = NULL;

  (void) err;
  if (path == NULL)
    return 0; /* runc refuses a config without a root */
  at = where (ctx, path);
  bundle = ctx->host->bundle ? path_clean (ctx->host->bundle) : NULL;
  if (at != NULL && strcmp (at, "/") != 0
      && ((bundle != NULL && path_is_within (at, bundle) && strcmp (at, bundle) != 0)
          || pattern_allows (ctx->policy, at)))
    return 0;
  value = json_new_string (path);
  if (at == NULL)
    why = hr_xasprintf ("root.path %s is relative, and the bundle is not known", path);
  else
    why = hr_xasprintf ("root.path %s is %s: neither inside the bundle nor where an engine keeps a "
                        "container's root",
                        path, at);
  allow = hr_xasprintf ("adding \"%s\" to profiles.%s.rootfs.allowed_paths", at ? at : path,
                        ctx->policy->name);
  control_refuse (ctx, "root.path", value, why, allow);
  return 0;
}
