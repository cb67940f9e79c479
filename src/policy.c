#include "config.h"
#include "policy.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "spec.h"

bool
string_list_contains (const struct string_list *l, const char *s)
{
  for (size_t i = 0; i < l->len; i++)
    if (strcmp (l->items[i], s) == 0)
      return true;
  return false;
}

void
string_list_release (struct string_list *l)
{
  for (size_t i = 0; i < l->len; i++)
    free (l->items[i]);
  free (l->items);
  l->items = NULL;
  l->len = 0;
}

int
source_error (const struct source *src, const struct json *node, const char *key, struct hr_error *err,
     const char *what)
{
  return hr_error_set (err, 0, "%s:%u: key \"%s\": %s", src->name,
                       json_line_of (src->buf, src->len, node->offset), key, what);
}

static int
read_string (const struct json *v, const struct source *src, const char *key, char **out,
             struct hr_error *err)
{
  const char *s = json_string (v);
  if (s == NULL)
    return source_error (src, v, key, err, "must be a string");
  free (*out);
  *out = hr_xstrdup (s);
  return 0;
}

static int
read_string_list (const struct json *v, const struct source *src, const char *key,
                  struct string_list *out, struct hr_error *err)
{
  struct string_list l = { 0 };

  if (!json_is (v, JSON_ARRAY))
    return source_error (src, v, key, err, "must be an array of strings");
  l.items = hr_xcalloc (v->arr.len + 1, sizeof *l.items);
  for (size_t i = 0; i < v->arr.len; i++)
    {
      const char *s = json_string (v->arr.items[i]);
      if (s == NULL)
        {
          string_list_release (&l);
          return source_error (src, v->arr.items[i], key, err, "must be an array of strings");
        }
      l.items[l.len++] = hr_xstrdup (s);
    }
  string_list_release (out);
  *out = l;
  return 0;
}

static int
read_abs_paths (const struct json *v, const struct source *src, const char *key,
                struct string_list *out, struct hr_error *err)
{
  if (read_string_list (v, src, key, out, err) < 0)
    return -1;
  for (size_t i = 0; i < out->len; i++)
    if (out->items[i][0] != '/')
      return source_error (src, v->arr.items[i], key, err, "paths must be absolute");
  return 0;
}

static int
apply_controls (struct policy *p, const struct json *obj, const struct source *src,
                struct hr_error *err)
{
  if (!json_is (obj, JSON_OBJECT))
    return source_error (src, obj, "controls", err, "must be an object");
  for (size_t i = 0; i < obj->obj.len; i++)
    {
      const struct json_member *m = &obj->obj.members[i];
      enum control_id id;
      enum control_action action;
      const char *s = json_string (m->value);
      cleanup_free char *key = hr_xasprintf ("controls.%s", m->key);

      if (control_from_name (m->key, &id) < 0)
        return source_error (src, m->value, key, err, "unknown control");
      if (s == NULL || control_action_from_name (s, &action) < 0)
        return source_error (src, m->value, key, err,
                    "must be one of \"enforce\", \"deny\", \"audit\", \"off\"");
      p->actions[id] = action;
    }
  return 0;
}

static int
apply_capabilities (struct policy *p, const struct json *obj, const struct source *src,
                    struct hr_error *err)
{
  if (!json_is (obj, JSON_OBJECT))
    return source_error (src, obj, "capabilities", err, "must be an object");
  for (size_t i = 0; i < obj->obj.len; i++)
    {
      const struct json_member *m = &obj->obj.members[i];
      if (strcmp (m->key, "allow") != 0)
        return source_error (src, m->value, "capabilities", err, "unknown key (expected \"allow\")");
      if (read_string_list (m->value, src, "capabilities.allow", &p->cap_allow, err) < 0)
        return -1;
      for (size_t j = 0; j < p->cap_allow.len; j++)
        {
          const char *name = p->cap_allow.items[j];
          cap_value_t cap;
          /* libcap knows the names; the spec wants them upper case, CAP_ prefixed */
          if (strncmp (name, "CAP_", 4) != 0 || cap_from_name (name, &cap) < 0)
            return source_error (src, m->value->arr.items[j], "capabilities.allow", err,
                        "unknown capability name (expected e.g. \"CAP_CHOWN\")");
          for (const char *c = name; *c; c++)
            if (*c >= 'a' && *c <= 'z')
              return source_error (src, m->value->arr.items[j], "capabilities.allow", err,
                          "capability names are upper case, as runc expects");
        }
    }
  return 0;
}

static bool
valid_size (const char *s)
{
  size_t i = 0;
  while (s[i] >= '0' && s[i] <= '9')
    i++;
  if (i == 0)
    return false;
  if (s[i] == 'k' || s[i] == 'm' || s[i] == 'g' || s[i] == '%')
    i++;
  return s[i] == '\0';
}

static int
apply_rootfs (struct policy *p, const struct json *obj, const struct source *src,
              struct hr_error *err)
{
  if (!json_is (obj, JSON_OBJECT))
    return source_error (src, obj, "readonly_rootfs", err, "must be an object");
  for (size_t i = 0; i < obj->obj.len; i++)
    {
      const struct json_member *m = &obj->obj.members[i];
      if (strcmp (m->key, "tmpfs") == 0)
        {
          if (read_abs_paths (m->value, src, "readonly_rootfs.tmpfs", &p->tmpfs, err) < 0)
            return -1;
        }
      else if (strcmp (m->key, "tmpfs_size") == 0)
        {
          if (read_string (m->value, src, "readonly_rootfs.tmpfs_size", &p->tmpfs_size, err) < 0)
            return -1;
          if (!valid_size (p->tmpfs_size))
            return source_error (src, m->value, "readonly_rootfs.tmpfs_size", err,
                        "must be a tmpfs size such as \"64m\"");
        }
      else
        return source_error (src, m->value, "readonly_rootfs", err,
                    "unknown key (expected \"tmpfs\" or \"tmpfs_size\")");
    }
  return 0;
}

static int
apply_masked (struct policy *p, const struct json *obj, const struct source *src,
              struct hr_error *err)
{
  if (!json_is (obj, JSON_OBJECT))
    return source_error (src, obj, "masked_paths", err, "must be an object");
  for (size_t i = 0; i < obj->obj.len; i++)
    {
      const struct json_member *m = &obj->obj.members[i];
      if (strcmp (m->key, "masked") == 0)
        {
          if (read_abs_paths (m->value, src, "masked_paths.masked", &p->masked, err) < 0)
            return -1;
        }
      else if (strcmp (m->key, "readonly") == 0)
        {
          if (read_abs_paths (m->value, src, "masked_paths.readonly", &p->readonly, err) < 0)
            return -1;
        }
      else
        return source_error (src, m->value, "masked_paths", err,
                    "unknown key (expected \"masked\" or \"readonly\")");
    }
  return 0;
}

int
policy_apply (struct policy *p, const struct json *obj, const struct source *src,
              struct hr_error *err)
{
  if (!json_is (obj, JSON_OBJECT))
    return source_error (src, obj, "policy", err, "must be an object");
  for (size_t i = 0; i < obj->obj.len; i++)
    {
      const struct json_member *m = &obj->obj.members[i];
      int r;
      if (strcmp (m->key, "name") == 0)
        r = read_string (m->value, src, "policy.name", &p->name, err);
      else if (strcmp (m->key, "controls") == 0)
        r = apply_controls (p, m->value, src, err);
      else if (strcmp (m->key, "capabilities") == 0)
        r = apply_capabilities (p, m->value, src, err);
      else if (strcmp (m->key, "readonly_rootfs") == 0)
        r = apply_rootfs (p, m->value, src, err);
      else if (strcmp (m->key, "masked_paths") == 0)
        r = apply_masked (p, m->value, src, err);
      else
        r = hr_error_set (err, 0, "%s:%u: key \"policy.%s\": unknown key", src->name,
                          json_line_of (src->buf, src->len, m->value->offset), m->key);
      if (r < 0)
        return -1;
    }
  return 0;
}

int
policy_load_defaults (struct policy *p, bool with_seccomp, struct hr_error *err)
{
  cleanup_json struct json *tree = NULL;
  struct source src = { "built-in policy", hr_embedded_policy, hr_embedded_policy_len };

  memset (p, 0, sizeof *p);
  for (int i = 0; i < CONTROL_COUNT; i++)
    p->actions[i] = ACTION_ENFORCE;
  if (json_parse (hr_embedded_policy, hr_embedded_policy_len, JSON_PARSE_COMMENTS, &tree, err) < 0)
    return hr_error_wrap (err, "built-in policy");
  if (policy_apply (p, tree, &src, err) < 0)
    return -1;
  if (with_seccomp)
    {
      if (json_parse (hr_embedded_seccomp, hr_embedded_seccomp_len, 0, &p->seccomp_profile, err) < 0)
        return hr_error_wrap (err, "built-in seccomp profile");
      p->seccomp_source = hr_xstrdup ("built-in");
      snprintf (p->seccomp_sha256, sizeof p->seccomp_sha256, "%s", hr_embedded_seccomp_sha256);
    }
  return 0;
}

int
policy_load_seccomp_file (struct policy *p, const char *path, struct hr_error *err)
{
  cleanup_free char *raw = NULL;
  size_t len = 0;
  struct stat st;
  struct json *tree = NULL;

  if (spec_read_file (AT_FDCWD, path, &raw, &len, &st, err) < 0)
    return -1;
  if (json_parse (raw, len, JSON_PARSE_COMMENTS, &tree, err) < 0)
    return hr_error_wrap (err, "%s", path);
  json_free (p->seccomp_profile);
  p->seccomp_profile = tree;
  free (p->seccomp_source);
  p->seccomp_source = hr_xstrdup (path);
  sha256_hex (raw, len, p->seccomp_sha256);
  return 0;
}

void
policy_finish (struct policy *p, const char *config_text, size_t config_len)
{
  /* The built-in policy, the configuration file that overrides it and the
   * seccomp profile decide everything: digest their texts. */
  struct hr_buf b = { 0 };

  hr_buf_puts (&b, hr_embedded_policy_sha256);
  hr_buf_puts (&b, p->seccomp_sha256);
  if (config_text)
    hr_buf_append (&b, config_text, config_len);
  sha256_hex (b.data, b.len, p->hash);
  free (b.data);
}

void
policy_release (struct policy *p)
{
  free (p->name);
  string_list_release (&p->cap_allow);
  string_list_release (&p->tmpfs);
  free (p->tmpfs_size);
  string_list_release (&p->masked);
  string_list_release (&p->readonly);
  json_free (p->seccomp_profile);
  free (p->seccomp_source);
  memset (p, 0, sizeof *p);
}
