/* A namespace missing from the config is the host's (refused or audited
 * per type, as the profile lists); so is one given by a path that is the
 * host's own (Docker's --network host arrives so), refused for every type. */
#include "config.h"

#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "policy/policy.h"
#include "spec/spec.h"

/* A namespace entry with a path that is the host's own namespace is judged
 * as if the type were absent (refused or audited as the profile lists it),
 * and more strictly where joining does more than sharing: the host's mount
 * namespace would be re-rooted, and the host's uts namespace would take the
 * container's hostname. nsexec opens a relative path from the container's
 * rootfs, not from where hardrun can see it, so one is refused too, and so
 * is a path that cannot be identified now. */
static void
judge_joined (struct control_ctx *ctx, size_t i, const char *type, const char *path)
{
  const struct path_fact *fact = host_facts_path (ctx->host, path);
  int idx = host_ns_from_type (type);
  cleanup_free char *field = hr_xasprintf ("linux.namespaces[%zu].path", i);
  cleanup_free char *why = NULL;
  cleanup_json struct json *value = json_new_string (path);

  if (path[0] != '/')
    why = hr_xasprintf ("the %s namespace path %s is relative: runc opens it from the container's "
                        "rootfs, so hardrun cannot tell which namespace it is",
                        type, path);
  else if (fact == NULL || !fact->id.known || idx < 0 || !ctx->host->host_ns[idx].known)
    why = hr_xasprintf ("cannot identify the %s namespace at %s now: a path that does not exist yet "
                        "could be the host's by the time runc opens it (/proc/<pid>/ns of a process "
                        "still to come)",
                        type, path);
  else if (fact->id.dev != ctx->host->host_ns[idx].dev || fact->id.ino != ctx->host->host_ns[idx].ino)
    return; /* another container's, as a pod's containers share theirs */
  else if (strcmp (type, "mount") == 0)
    why = hr_xasprintf ("the mount namespace %s is the host's: runc would re-root the host", path);
  else if (strcmp (type, "uts") == 0 && json_string (spec_get (ctx->spec, "hostname")) != NULL
           && json_string (spec_get (ctx->spec, "hostname"))[0] != '\0')
    why = hr_xasprintf ("the uts namespace %s is the host's: runc would set the host's hostname", path);
  else if (string_list_contains (&ctx->policy->ns_refuse, type))
    {
      cleanup_free char *allow = hr_xasprintf ("removing \"%s\" from profiles.%s.host_namespaces.refuse", type,
                                               ctx->policy->name);
      why = hr_xasprintf ("the %s namespace %s is the host's", type, path);
      control_refuse (ctx, field, value, why, allow);
      return;
    }
  else
    {
      cleanup_free char *note = hr_xasprintf ("the %s namespace %s is the host's", type, path);
      if (string_list_contains (&ctx->policy->ns_audit, type))
        decision_add (ctx->decision, DECISION_FINDING, control_name (ctx->id), field, value, NULL, note, NULL);
      return;
    }
  control_refuse (ctx, field, value, why, NULL);
}

/* A namespace type the config does not list is the host's. */
static void
judge_absent (struct control_ctx *ctx, const char *type, bool refuse)
{
  cleanup_free char *why = NULL;
  cleanup_free char *allow = NULL;

  if (spec_has_namespace (ctx->spec, type))
    return;
  why = hr_xasprintf ("no %s namespace: the container would share the host's", type);
  allow = hr_xasprintf ("removing \"%s\" from profiles.%s.host_namespaces.%s", type, ctx->policy->name,
                        refuse ? "refuse" : "audit");
  if (refuse)
    control_refuse (ctx, "linux.namespaces", NULL, why, allow);
  else
    decision_add (ctx->decision, DECISION_FINDING, control_name (ctx->id), "linux.namespaces", NULL, NULL,
                  why, allow);
}

int
control_host_namespaces (struct control_ctx *ctx, struct hr_error *err)
{
  const struct json *list = spec_get_path (ctx->spec, "linux", "namespaces", NULL);

  (void) err;
  for (size_t i = 0; json_is (list, JSON_ARRAY) && i < list->arr.len; i++)
    {
      const char *type = json_string (spec_get (list->arr.items[i], "type"));
      const char *path = json_string (spec_get (list->arr.items[i], "path"));
      if (type != NULL && path != NULL && path[0] != '\0')
        judge_joined (ctx, i, type, path);
    }
  for (size_t i = 0; i < ctx->policy->ns_refuse.len; i++)
    judge_absent (ctx, ctx->policy->ns_refuse.items[i], true);
  for (size_t i = 0; i < ctx->policy->ns_audit.len; i++)
    if (!string_list_contains (&ctx->policy->ns_refuse, ctx->policy->ns_audit.items[i]))
      judge_absent (ctx, ctx->policy->ns_audit.items[i], false);
  return 0;
}
