/* The process runs as a non-root user (a finding in "default", refused in
 * "restricted"). */
#include "config.h"

#include "base/cleanup.h"
#include "controls/control.h"
#include "spec/spec.h"

/* A user namespace whose mappings include the host's root makes the
 * container's files the host root's: a finding. */
static void
judge_mappings (struct control_ctx *ctx, const char *field)
{
  const struct json *list = spec_get_path (ctx->spec, "linux", field, NULL);

  for (size_t i = 0; json_is (list, JSON_ARRAY) && i < list->arr.len; i++)
    {
      uint64_t host = 1, size = 0;
      if (json_number_to_u64 (spec_get (list->arr.items[i], "hostID"), &host) == 0
          && json_number_to_u64 (spec_get (list->arr.items[i], "size"), &size) == 0 && host == 0 && size > 0)
        {
          cleanup_free char *path = hr_xasprintf ("linux.%s[%zu]", field, i);
          decision_add (ctx->decision, DECISION_FINDING, control_name (ctx->id), path, list->arr.items[i], NULL,
                        "the user namespace maps the host's root (hostID 0)", NULL);
        }
    }
}

int
control_user (struct control_ctx *ctx, struct hr_error *err)
{
  const struct json *uid = spec_get_path (ctx->spec, "process", "user", "uid", NULL);
  uint64_t n = 0;

  judge_mappings (ctx, "uidMappings");
  judge_mappings (ctx, "gidMappings");
  if (spec_get (ctx->spec, "process") == NULL)
    return 0;
  /* absent means 0 to runc */
  if (uid != NULL && !json_is (uid, JSON_NULL) && json_number_to_u64 (uid, &n) < 0)
    n = 1; /* not a plain integer: runc refuses the config itself */
  if (n == 0)
    {
      cleanup_json struct json *value = json_new_uint (0);
      control_refuse (ctx, "process.user.uid", value, "the process runs as root (uid 0)", NULL);
    }
  return 0;
}
