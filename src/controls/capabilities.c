/* Every capability set cut to the policy's allowlist; nothing is added. */
#include "config.h"

#include "base/cleanup.h"
#include "controls/control.h"
#include "policy/policy.h"
#include "spec/spec.h"

static const char *const cap_sets[] = { "bounding", "effective", "inheritable", "permitted",
                                        "ambient" };

int
control_capabilities (struct control_ctx *ctx, struct hr_error *err)
{
  struct json *caps = spec_get_path (ctx->spec, "process", "capabilities", NULL);

  if (!json_is (caps, JSON_OBJECT))
    return 0; /* no capabilities object: runc grants none */

  for (size_t s = 0; s < sizeof cap_sets / sizeof cap_sets[0]; s++)
    {
      struct json *set = spec_get (caps, cap_sets[s]);
      cleanup_json struct json *kept = NULL;
      struct hr_buf dropped = { 0 };

      if (!json_is (set, JSON_ARRAY))
        continue;
      kept = json_new_array ();
      for (size_t i = 0; i < set->arr.len; i++)
        {
          const char *name = json_string (set->arr.items[i]);
          if (name != NULL && string_list_contains (&ctx->policy->cap_allow, name))
            json_array_append (kept, json_clone (set->arr.items[i]));
          else
            {
              if (dropped.len)
                hr_buf_puts (&dropped, ", ");
              hr_buf_puts (&dropped, name ? name : "(invalid name)");
            }
        }
      if (dropped.len)
        {
          cleanup_free char *path = hr_xasprintf ("process.capabilities.%s", cap_sets[s]);
          cleanup_free char *why = hr_xasprintf ("%s not in the capability allowlist", dropped.data);
          if (control_propose (ctx, path, set, kept, why))
            spec_set (caps, cap_sets[s], steal_pointer (&kept));
        }
      free (dropped.data);
    }
  return 0;
}
