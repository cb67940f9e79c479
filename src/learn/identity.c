#include "config.h"
#include "learn/identity.h"

#include <string.h>

#include "base/cleanup.h"
#include "spec/sha256.h"

#define NAME_IMAGE_MAX 48
#define NAME_HASH_LEN 12

static bool
is_hex (const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return false;
  return true;
}

const char *
learned_image_digest (const char *ref)
{
  const char *at = ref ? strrchr (ref, '@') : NULL;
  const char *d = at ? at + 1 : ref;

  if (d == NULL || strncmp (d, "sha256:", 7) != 0 || strlen (d + 7) != SHA256_HEX_LEN
      || !is_hex (d + 7, SHA256_HEX_LEN))
    return NULL;
  return d;
}

const char *
learned_workload_digest (const char *image, const struct json *annotations, const char *engine_image_id)
{
  const char *d;

  /* the engine's own record first: a user may write annotations (docker
     run --annotation), never the engine's record */
  if (engine_image_id != NULL)
    return learned_image_digest (engine_image_id);
  d = learned_image_digest (image);
  if (d == NULL)
    d = learned_image_digest (json_string (json_object_get (annotations, "io.kubernetes.cri-o.ImageRef")));
  return d;
}

const char *
learned_workload_image (const char *annotated, const char *engine_image)
{
  return engine_image != NULL ? engine_image : annotated;
}

static struct json *
string_or_null (const char *s)
{
  return s ? json_new_string (s) : json_new_null ();
}

struct json *
learned_key (const struct learned_identity *id)
{
  struct json *k = json_new_object ();

  json_object_append (k, "image", string_or_null (id->image));
  json_object_append (k, "digest", string_or_null (id->digest));
  json_object_append (k, "rule", string_or_null (id->rule));
  json_object_append (k, "profile", string_or_null (id->profile));
  json_object_append (k, "arch", string_or_null (id->arch));
  json_object_append (k, "runtime_version", string_or_null (id->runtime_version));
  json_object_append (k, "no_new_privileges", json_new_bool (id->no_new_privileges));
  return k;
}

/* The image's last path component without tag or digest, in the letters a
 * store file name may hold. */
static void
image_slug (const char *image, char *out, size_t len)
{
  const char *base = image ? strrchr (image, '/') : NULL;
  size_t n = 0;

  base = base ? base + 1 : image ? image : "no-image";
  for (; *base != '\0' && *base != '@' && *base != ':' && n + 1 < len; base++)
    {
      char c = *base;
      out[n++] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ? c : '_';
    }
  if (n == 0 && len > 1)
    out[n++] = '_';
  out[n] = '\0';
}

char *
learned_key_name (const struct learned_identity *id)
{
  cleanup_json struct json *key = learned_key (id);
  cleanup_free char *text = NULL;
  char hash[SHA256_HEX_LEN + 1], slug[NAME_IMAGE_MAX + 1], profile[NAME_IMAGE_MAX + 1];
  struct hr_error err;
  size_t len = 0;

  /* the digest, where known, names the image: its tags are the same image */
  if (id->digest != NULL)
    json_object_set (key, "image", json_new_null ());
  if (json_write (key, 0, &text, &len, &err) < 0)
    text = hr_xstrdup ("");
  sha256_hex (text, strlen (text), hash);
  image_slug (id->image ? id->image : id->digest, slug, sizeof slug);
  image_slug (id->profile, profile, sizeof profile);
  return hr_xasprintf ("%s-%s-%.*s", slug, profile, NAME_HASH_LEN, hash);
}
