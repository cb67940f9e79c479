/* linux.maskedPaths and linux.readonlyPaths hold at least the policy's. */
#include "config.h"

#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "host/paths.h"
#include "policy/policy.h"
#include "spec/spec.h"

static bool
array_has_path (const struct json *arr, const char *want)
{
  if (!json_is (arr, JSON_ARRAY))
    return false;
  for (size_t i = 0; i < arr->arr.len; i++)
    {
      const char *s = json_string (arr->arr.items[i]);
      cleanup_free char *clean = s ? path_clean (s) : NULL;
      if (clean && strcmp (clean, want) == 0)
        return true;
    }
  return false;
}

static int
ensure_paths (struct control_ctx *ctx, const char *field, const struct string_list *want)
{
  struct json *linux_obj = spec_get (ctx->spec, "linux");
  struct json *current = spec_get (linux_obj, field);
  cleanup_json struct json *next = json_is (current, JSON_ARRAY) ? json_clone (current)
                                                                  : json_new_array ();
  struct hr_buf added = { 0 };
  cleanup_free char *path = hr_xasprintf ("linux.%s", field);

  for (size_t i = 0; i < want->len; i++)
    {
      cleanup_free char *clean = path_clean (want->items[i]);
      if (array_has_path (next, clean))
        continue;
      json_array_append (next, json_new_string (clean));
      if (added.len)
        hr_buf_puts (&added, ", ");
      hr_buf_puts (&added, clean);
    }
  if (added.len == 0)
    return 0;
  {
    cleanup_free char *why = hr_xasprintf ("%s missing", added.data);
    free (added.data);
    if (control_propose (ctx, path, current, next, why))
      spec_set (spec_ensure_object (ctx->spec, "linux", NULL), field, steal_pointer (&next));
  }
  return 0;
}

int
control_masked_paths (struct control_ctx *ctx, struct hr_error *err)
{
  if (ensure_paths (ctx, "maskedPaths", &ctx->policy->masked) < 0)
    return -1;
  return ensure_paths (ctx, "readonlyPaths", &ctx->policy->readonly);
}
