/* Which images may run: an allowlist of references and digests (fnmatch),
 * and, where the profile says so, only images pinned by digest, whose
 * content a tag cannot change under the same name. The image is the one
 * the engine names (its annotations, Docker's config.v2.json). */
#include "config.h"

#include <fnmatch.h>
#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "learn/identity.h"
#include "policy/policy.h"
#include "policy/workload.h"
#include "spec/spec.h"

static bool
any_matches (const struct string_list *patterns, const char *image, const char *digest)
{
  for (size_t i = 0; i < patterns->len; i++)
    if ((image != NULL && fnmatch (patterns->items[i], image, 0) == 0)
        || (digest != NULL && fnmatch (patterns->items[i], digest, 0) == 0))
      return true;
  return false;
}

int
control_image (struct control_ctx *ctx, struct hr_error *err)
{
  struct workload wl;
  const char *image, *digest;
  cleanup_free char *why = NULL;
  cleanup_free char *allow = NULL;
  cleanup_json struct json *value = NULL;

  (void) err;
  if (ctx->policy->images_allowed.len == 0 && !ctx->policy->image_require_digest)
    return 0;
  workload_from_spec (ctx->spec, &wl);
  /* a pod's sandbox runs the engine's own pause image, not a workload */
  if (wl.fields[WL_CONTAINER_TYPE] != NULL && strcmp (wl.fields[WL_CONTAINER_TYPE], "sandbox") == 0)
    return 0;
  image = learned_workload_image (wl.fields[WL_IMAGE], ctx->host->engine_image);
  digest = learned_workload_digest (wl.fields[WL_IMAGE], spec_get (ctx->spec, "annotations"),
                                    ctx->host->engine_image_id);
  value = image ? json_new_string (image) : digest ? json_new_string (digest) : NULL;
  if (image == NULL && digest == NULL)
    control_refuse (ctx, "annotations", NULL,
                    "the profile limits images, and no engine annotation or record names this one", NULL);
  else if (ctx->policy->image_require_digest && digest == NULL)
    {
      why = hr_xasprintf ("image %s is not pinned by digest (NAME@sha256:...)", image);
      allow = hr_xasprintf ("pinning the image by digest, or profiles.%s.image.require_digest = false",
                            ctx->policy->name);
      control_refuse (ctx, "annotations", value, why, allow);
    }
  else if (ctx->policy->images_allowed.len > 0 && !any_matches (&ctx->policy->images_allowed, image, digest))
    {
      why = hr_xasprintf ("image %s is not in the profile's image.allowed", image ? image : digest);
      allow = hr_xasprintf ("adding \"%s\" to profiles.%s.image.allowed+", image ? image : digest,
                            ctx->policy->name);
      control_refuse (ctx, "annotations", value, why, allow);
    }
  return 0;
}
