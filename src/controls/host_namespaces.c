/* A namespace missing from the config is the host's; so is one given by a
 * path that is the host's own (Docker's --network host arrives so). */
#include "config.h"

#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "policy/policy.h"
#include "spec/spec.h"

enum ns_state
{
  NS_OWN,    /* a new namespace, or one joined by path that is not the host's */
  NS_HOST,   /* absent, or a path to the host's */
  NS_UNKNOWN /* a path hardrun cannot identify (it does not exist now) */
};

static enum ns_state
namespace_state (const struct control_ctx *ctx, const char *type, const char **path_out)
{
  const struct json *list = spec_get_path (ctx->spec, "linux", "namespaces", NULL);
  int idx = host_ns_from_type (type);

  *path_out = NULL;
  for (size_t i = 0; json_is (list, JSON_ARRAY) && i < list->arr.len; i++)
    {
      const struct json *ns = list->arr.items[i];
      const char *t = json_string (spec_get (ns, "type"));
      const char *path = json_string (spec_get (ns, "path"));
      const struct path_fact *fact;

      if (t == NULL || strcmp (t, type) != 0)
        continue;
      if (path == NULL || path[0] == '\0')
        return NS_OWN;
      *path_out = path;
      fact = host_facts_path (ctx->host, path);
      if (fact == NULL || !fact->id.known || idx < 0 || !ctx->host->host_ns[idx].known)
        return NS_UNKNOWN;
      return (fact->id.dev == ctx->host->host_ns[idx].dev && fact->id.ino == ctx->host->host_ns[idx].ino)
                 ? NS_HOST
                 : NS_OWN;
    }
  return NS_HOST;
}

static void
judge (struct control_ctx *ctx, const char *type, bool refuse)
{
  const char *path;
  enum ns_state st = namespace_state (ctx, type, &path);
  cleanup_free char *why = NULL;
  cleanup_free char *allow = NULL;
  cleanup_json struct json *value = path ? json_new_string (path) : NULL;

  if (st == NS_OWN)
    return;
  if (st == NS_HOST && path != NULL)
    why = hr_xasprintf ("the %s namespace %s is the host's", type, path);
  else if (st == NS_HOST)
    why = hr_xasprintf ("no %s namespace: the container would share the host's", type);
  else
    why = hr_xasprintf ("cannot identify the %s namespace at %s now (runc fails to join a "
                        "path that does not exist)",
                        type, path);
  allow = hr_xasprintf ("removing \"%s\" from profiles.%s.host_namespaces.%s", type,
                        ctx->policy->name, refuse ? "refuse" : "audit");
  /* a path that cannot be identified cannot be joined either: runc fails */
  if (refuse && st == NS_HOST)
    control_refuse (ctx, "linux.namespaces", value, why, allow);
  else
    decision_add (ctx->decision, DECISION_FINDING, control_name (ctx->id), "linux.namespaces",
                  value, NULL, why, allow);
}

int
control_host_namespaces (struct control_ctx *ctx, struct hr_error *err)
{
  for (size_t i = 0; i < ctx->policy->ns_refuse.len; i++)
    judge (ctx, ctx->policy->ns_refuse.items[i], true);
  for (size_t i = 0; i < ctx->policy->ns_audit.len; i++)
    if (!string_list_contains (&ctx->policy->ns_refuse, ctx->policy->ns_audit.items[i]))
      judge (ctx, ctx->policy->ns_audit.items[i], false);
  return 0;
}
