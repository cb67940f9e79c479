/* OCI hooks run on the host, as root, outside every limit of the
 * container: each is refused unless its binary, resolved now (a symlink or
 * /proc/PID/exe followed to the file runc will run), is on the profile's
 * allowlist. Docker's own prestart hook is /proc/<dockerd>/exe. */
#include "config.h"

#include <fnmatch.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "policy/policy.h"
#include "spec/spec.h"

static const char *const hook_lists[] = { "prestart", "createRuntime", "createContainer",
                                          "startContainer", "poststart", "poststop" };

static bool
allowed (const struct policy *p, const char *resolved)
{
  for (size_t i = 0; resolved != NULL && i < p->hooks_allowed.len; i++)
    if (fnmatch (p->hooks_allowed.items[i], resolved, FNM_PATHNAME) == 0)
      return true;
  return false;
}

static void
judge_hook (struct control_ctx *ctx, const char *list, size_t i, const struct json *hook)
{
  const char *path = json_string (spec_get (hook, "path"));
  const struct path_fact *fact = path ? host_facts_path (ctx->host, path) : NULL;
  /* a hook must be a binary that exists now, resolved to where it is */
  const char *resolved = fact && fact->id.known ? fact->resolved : NULL;
  cleanup_free char *field = hr_xasprintf ("hooks.%s[%zu].path", list, i);
  cleanup_free char *why = NULL;
  cleanup_free char *allow = NULL;
  cleanup_json struct json *value = path ? json_new_string (path) : NULL;

  if (path != NULL && path[0] == '/' && allowed (ctx->policy, resolved))
    return;
  if (path == NULL || path[0] != '/')
    why = hr_xasprintf ("a %s hook runs on the host as root; its path must be absolute", list);
  else if (resolved == NULL)
    why = hr_xasprintf ("a %s hook runs on the host as root, and %s does not resolve to a binary "
                        "now",
                        list, path);
  else
    why = hr_xasprintf ("a %s hook runs %s on the host as root, outside the container's limits",
                        list, resolved);
  allow = hr_xasprintf ("adding \"%s\" to profiles.%s.hooks.allowed_paths+",
                        resolved ? resolved : (path ? path : "?"), ctx->policy->name);
  control_refuse (ctx, field, value, why, allow);
}

int
control_hooks (struct control_ctx *ctx, struct hr_error *err)
{
  const struct json *hooks = spec_get (ctx->spec, "hooks");

  (void) err;
  for (size_t l = 0; l < sizeof hook_lists / sizeof hook_lists[0]; l++)
    {
      const struct json *list = spec_get (hooks, hook_lists[l]);
      for (size_t i = 0; json_is (list, JSON_ARRAY) && i < list->arr.len; i++)
        judge_hook (ctx, hook_lists[l], i, list->arr.items[i]);
    }
  return 0;
}
