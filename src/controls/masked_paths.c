/* linux.maskedPaths and linux.readonlyPaths hold at least the policy's,
 * each as the exact canonical path runc will find (runc applies them to
 * the container's /proc and /sys, the only proc and sysfs mount_types
 * allows). */
#include "config.h"

#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "host/paths.h"
#include "policy/policy.h"
#include "spec/spec.h"

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
      /* only an exact, canonical entry counts: runc resolves each one in
       * the container and skips, without a word, one that does not resolve
       * (a ".." through a missing directory), so "/x/../proc/kcore" masks
       * nothing */
      if (json_array_has_string (next, clean))
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
