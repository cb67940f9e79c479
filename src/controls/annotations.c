/* The annotations runc itself acts on: org.systemd.property.* become
 * properties of the container's systemd unit (DeviceAllow=, Delegate=, ...),
 * org.criu.config names a CRIU configuration file on the host. Keys the
 * profile lists are refused; every other annotation is data for the engine. */
#include "config.h"

#include <fnmatch.h>
#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "policy/policy.h"
#include "spec/spec.h"

/* fnmatch (pattern, key), without copying the key or calling fnmatch for
 * a key the pattern's literal start already rules out: a config may carry
 * thousands of annotations. */
static bool
key_matches (const char *pattern, const char *key, size_t key_len)
{
  size_t lit;
  char buf[256];
  cleanup_free char *copy = NULL;
  const char *k = buf;

  if (pattern[0] != '*' && pattern[0] != '?' && pattern[0] != '[' && pattern[0] != '\\'
      && (key_len == 0 || key[0] != pattern[0]))
    return false;
  lit = strcspn (pattern, "*?[\\");
  if (key_len < lit || memcmp (pattern, key, lit) != 0)
    return false;
  if (pattern[lit] == '\0')
    return key_len == lit;
  if (key_len < sizeof buf)
    {
      memcpy (buf, key, key_len);
      buf[key_len] = '\0';
    }
  else
    k = copy = hr_xstrndup (key, key_len);
  return fnmatch (pattern, k, 0) == 0;
}

int
control_annotations (struct control_ctx *ctx, struct hr_error *err)
{
  const struct json *annotations = spec_get (ctx->spec, "annotations");

  (void) err;
  for (size_t i = 0; json_is (annotations, JSON_OBJECT) && i < annotations->obj.len; i++)
    {
      const struct json_member *m = &annotations->obj.members[i];
      for (size_t p = 0; p < ctx->policy->annotations_refused.len; p++)
        if (key_matches (ctx->policy->annotations_refused.items[p], m->key, m->key_len))
          {
            const char *pattern = ctx->policy->annotations_refused.items[p];
            cleanup_free char *key = hr_xstrndup (m->key, m->key_len);
            cleanup_free char *path = hr_xasprintf ("annotations[\"%s\"]", key);
            cleanup_free char *why = hr_xasprintf ("runc acts on annotation %s itself (it matches "
                                                   "\"%s\"), outside the container's limits",
                                                   key, pattern);
            cleanup_free char *allow = hr_xasprintf ("removing \"%s\" from profiles.%s.annotations.refused",
                                                     pattern, ctx->policy->name);
            control_refuse (ctx, path, m->value, why, allow);
            break;
          }
    }
  return 0;
}
