#include "config.h"
#include "policy/policy.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>

#include "base/cleanup.h"
#include "spec/spec.h"

bool
string_list_contains (const struct string_list *l, const char *s)
{
  for (size_t i = 0; s != NULL && i < l->len; i++)
    if (strcmp (l->items[i], s) == 0)
      return true;
  return false;
}

void
string_list_add_unique (struct string_list *l, const char *s)
{
  if (string_list_contains (l, s))
    return;
  l->items = hr_xrealloc (l->items, (l->len + 1) * sizeof *l->items);
  l->items[l->len++] = hr_xstrdup (s);
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

const char *
mode_name (enum hr_mode m)
{
  return m == MODE_AUDIT ? "audit" : "enforce";
}

static const char *const learning_modes[] = {
  [LEARNING_OFF] = "off",
  [LEARNING_RECORD] = "record",
  [LEARNING_COMPLAIN] = "complain",
  [LEARNING_ENFORCE] = "enforce",
};

const char *
learning_mode_name (enum learning_mode m)
{
  return learning_modes[m];
}

int
source_error (const struct source *src, const struct json *node, const char *key,
              struct hr_error *err, const char *what)
{
  return hr_error_set (err, 0, "%s:%u: key \"%s\": %s", src->name,
                       json_line_of (src->buf, src->len, node->offset), key, what);
}

/* "a.b.c" into buf, for messages only (a key is built for every member the
 * configuration has, and printf would be most of a launch's policy time). */
#define KEY_MAX 512
static const char *
join_key (char buf[KEY_MAX], const char *a, const char *b, const char *c)
{
  size_t n = 0;

  for (const char *const *part = (const char *const[]){ a, b, c, NULL }; *part != NULL; part++)
    {
      size_t len = strlen (*part);
      if (n > 0 && n < KEY_MAX - 1)
        buf[n++] = '.';
      if (len > KEY_MAX - 1 - n)
        len = KEY_MAX - 1 - n;
      memcpy (buf + n, *part, len);
      n += len;
    }
  buf[n] = '\0';
  return buf;
}

/* ---------- settings, one row per key of a profile section ---------- */

enum setting_type
{
  S_STRINGS,    /* array of strings */
  S_PATHS,      /* array of absolute paths (patterns allowed) */
  S_CAPS,       /* array of capability names libcap knows, upper case */
  S_NAMESPACES, /* array of OCI namespace types */
  S_MOUNT_RULES, /* array of "TYPE DESTINATION [OPTION,...]" */
  S_PORTS,      /* array of TCP ports, 0 to 65535, kept as decimal strings */
  S_SIZE,       /* a tmpfs size: digits with k, m, g or % */
  S_COUNT,      /* a non-negative integer */
  S_STRING,     /* a non-empty string */
  S_BOOL,       /* true or false */
};

struct setting
{
  const char *section;
  const char *key;
  enum setting_type type;
  size_t offset;
};

#define AT(field) offsetof (struct policy, field)

static const struct setting settings[] = {
  { "capabilities", "allow", S_CAPS, AT (cap_allow) },
  { "readonly_rootfs", "tmpfs", S_PATHS, AT (tmpfs) },
  { "readonly_rootfs", "tmpfs_size", S_SIZE, AT (tmpfs_size) },
  { "masked_paths", "masked", S_PATHS, AT (masked) },
  { "masked_paths", "readonly", S_PATHS, AT (readonly) },
  { "privileged", "dangerous_capabilities", S_CAPS, AT (dangerous_caps) },
  { "host_namespaces", "refuse", S_NAMESPACES, AT (ns_refuse) },
  { "host_namespaces", "audit", S_NAMESPACES, AT (ns_audit) },
  { "host_mounts", "refused_paths", S_PATHS, AT (mount_refused) },
  { "host_mounts", "allowed_paths", S_PATHS, AT (mount_allowed) },
  { "host_mounts", "read_only_paths", S_PATHS, AT (mount_read_only) },
  { "host_mounts", "user_paths", S_PATHS, AT (mount_user) },
  { "host_mounts", "socket_names", S_STRINGS, AT (socket_names) },
  { "mount_types", "allowed", S_MOUNT_RULES, AT (mount_types_allowed) },
  { "rootfs", "allowed_paths", S_PATHS, AT (rootfs_allowed) },
  { "hooks", "allowed_paths", S_PATHS, AT (hooks_allowed) },
  { "annotations", "refused", S_STRINGS, AT (annotations_refused) },
  { "sysctls", "allowed", S_STRINGS, AT (sysctls_allowed) },
  { "image", "allowed", S_STRINGS, AT (images_allowed) },
  { "landlock", "read", S_PATHS, AT (landlock_read) },
  { "landlock", "write", S_PATHS, AT (landlock_write) },
  { "landlock", "exec", S_PATHS, AT (landlock_exec) },
  { "landlock", "abi_max", S_COUNT, AT (landlock_abi_max) },
  { "landlock", "tcp_bind", S_PORTS, AT (landlock_tcp_bind) },
  { "landlock", "tcp_connect", S_PORTS, AT (landlock_tcp_connect) },
  { "image", "require_digest", S_BOOL, AT (image_require_digest) },
  { "env_secrets", "names", S_STRINGS, AT (secret_names) },
  { "resources", "pids_limit", S_COUNT, AT (pids_limit) },
  { "seccomp", "compat_arches", S_BOOL, AT (seccomp_compat_arches) },
  { "apparmor", "profile", S_STRING, AT (apparmor_profile) },
  { "apparmor", "require_profile", S_BOOL, AT (apparmor_require_profile) },
  { "selinux", "refused_types", S_STRINGS, AT (selinux_refused_types) },
};

static const char *const namespace_types[] = { "pid", "network", "ipc", "uts", "mount",
                                               "user", "cgroup", "time", NULL };

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

/* A scratch size: a tmpfs size, or "memory" (the container's limit). */
static bool
valid_scratch_size (const char *s)
{
  return strcmp (s, "memory") == 0 || valid_size (s);
}

/* "TYPE DESTINATION [OPTION,...]": two or three words, the destination
 * absolute (a pattern) or "*". */
static bool
mount_rule_valid (const char *s)
{
  const char *dest = NULL;
  int words = 0;

  for (const char *c = s; *c != '\0'; c++)
    if (*c != ' ' && (c == s || c[-1] == ' ') && ++words == 2)
      dest = c;
  return (words == 2 || words == 3) && (dest[0] == '/' || strncmp (dest, "* ", 2) == 0 || strcmp (dest, "*") == 0);
}

static const char *
check_item (enum setting_type type, const char *s)
{
  cap_value_t cap;

  switch (type)
    {
    case S_PATHS:
      return s[0] == '/' ? NULL : "paths must be absolute";
    case S_CAPS:
      if (strncmp (s, "CAP_", 4) != 0 || cap_from_name (s, &cap) < 0)
        return "unknown capability name (expected e.g. \"CAP_CHOWN\")";
      for (const char *c = s; *c; c++)
        if (*c >= 'a' && *c <= 'z')
          return "capability names are upper case, as runc expects";
      return NULL;
    case S_NAMESPACES:
      for (const char *const *t = namespace_types; *t; t++)
        if (strcmp (*t, s) == 0)
          return NULL;
      return "unknown namespace type (pid, network, ipc, uts, mount, user, cgroup, time)";
    case S_MOUNT_RULES:
      return mount_rule_valid (s) ? NULL : "must be \"TYPE DESTINATION [OPTION,...]\", the destination absolute or *";
    default:
      return NULL;
    }
}

/* A port of a S_PORTS list as its decimal string in buf, or NULL. */
static const char *
port_item (const struct json *v, char *buf, size_t len)
{
  int64_t n;

  if (json_number_to_i64 (v, &n) < 0 || n < 0 || n > 65535)
    return NULL;
  snprintf (buf, len, "%d", (int) n);
  return buf;
}

/* A list setting: replaced, or with "KEY+" extended (what a profile or
 * its base already lists stays). */
static int
apply_list (struct string_list *into, const struct setting *st, const struct json *v, bool extend,
            const struct source *src, const char *key, struct hr_error *err)
{
  struct string_list l = { 0 };
  size_t have = extend ? into->len : 0;

  if (!json_is (v, JSON_ARRAY))
    return source_error (src, v, key, err, st->type == S_PORTS ? "must be an array of TCP ports" : "must be an array of strings");
  l.items = hr_xcalloc (have + v->arr.len + 1, sizeof *l.items);
  for (size_t i = 0; i < have; i++)
    l.items[l.len++] = hr_xstrdup (into->items[i]);
  for (size_t i = 0; i < v->arr.len; i++)
    {
      char port[8];
      const char *s = st->type == S_PORTS ? port_item (v->arr.items[i], port, sizeof port) : json_string (v->arr.items[i]);
      const char *why = s ? check_item (st->type, s)
                          : st->type == S_PORTS ? "must be an array of TCP ports (0 to 65535)" : "must be an array of strings";
      if (why != NULL)
        {
          string_list_release (&l);
          return source_error (src, v->arr.items[i], key, err, why);
        }
      if (!string_list_contains (&l, s))
        l.items[l.len++] = hr_xstrdup (s);
    }
  string_list_release (into);
  *into = l;
  return 0;
}

static int
apply_setting (struct policy *p, const struct setting *st, const struct json *v, bool extend,
               const struct source *src, const char *key, struct hr_error *err)
{
  char *base = (char *) p + st->offset;

  switch (st->type)
    {
    case S_SIZE:
    case S_STRING:
      {
        const char *s = json_string (v);
        if (st->type == S_SIZE && (s == NULL || !valid_scratch_size (s)))
          return source_error (src, v, key, err, "must be \"memory\" or a tmpfs size such as \"64m\"");
        if (s == NULL || s[0] == '\0')
          return source_error (src, v, key, err, "must be a non-empty string");
        free (*(char **) base);
        *(char **) base = hr_xstrdup (s);
        return 0;
      }
    case S_BOOL:
      if (!json_is (v, JSON_BOOL))
        return source_error (src, v, key, err, "must be true or false");
      *(bool *) base = v->boolean;
      return 0;
    case S_COUNT:
      {
        int64_t n;
        if (json_number_to_i64 (v, &n) < 0 || n < 0)
          return source_error (src, v, key, err, "must be a non-negative integer");
        *(int64_t *) base = n;
        return 0;
      }
    default:
      return apply_list ((struct string_list *) base, st, v, extend, src, key, err);
    }
}

static bool
setting_is_list (const struct setting *st)
{
  switch (st->type)
    {
    case S_SIZE:
    case S_STRING:
    case S_BOOL:
    case S_COUNT:
      return false;
    default:
      return true;
    }
}

static int
apply_section (struct policy *p, const char *section, const struct json *obj,
               const struct source *src, const char *prefix, struct hr_error *err)
{
  for (size_t i = 0; i < obj->obj.len; i++)
    {
      const struct json_member *m = &obj->obj.members[i];
      char key_buf[KEY_MAX];
      const char *key = join_key (key_buf, prefix, section, m->key);
      const struct setting *st = NULL;
      size_t n = strlen (m->key);
      bool extend = n > 1 && m->key[n - 1] == '+';

      for (size_t j = 0; j < sizeof settings / sizeof settings[0]; j++)
        if (strcmp (settings[j].section, section) == 0 && strncmp (settings[j].key, m->key, n - extend) == 0
            && settings[j].key[n - extend] == '\0')
          st = &settings[j];
      if (st == NULL)
        return source_error (src, m->value, key, err, "unknown key");
      if (extend && !setting_is_list (st))
        return source_error (src, m->value, key, err, "only a list can be extended with \"+\"");
      if (apply_setting (p, st, m->value, extend, src, key, err) < 0)
        return -1;
    }
  return 0;
}

static bool
is_section (const char *name)
{
  for (size_t j = 0; j < sizeof settings / sizeof settings[0]; j++)
    if (strcmp (settings[j].section, name) == 0)
      return true;
  return false;
}

static const char *const engine_command_names[ENGINE_COMMAND_COUNT] = {
  [ENGINE_EXEC] = "exec",       [ENGINE_CHECKPOINT] = "checkpoint", [ENGINE_RESTORE] = "restore",
  [ENGINE_UPDATE] = "update",   [ENGINE_PAUSE] = "pause",           [ENGINE_RESUME] = "resume",
  [ENGINE_KILL] = "kill",
};

const char *
engine_command_name (enum engine_command c)
{
  return engine_command_names[c];
}

static int
apply_commands (struct policy *p, const struct json *obj, const struct source *src,
                const char *prefix, struct hr_error *err)
{
  for (size_t i = 0; i < obj->obj.len; i++)
    {
      const struct json_member *m = &obj->obj.members[i];
      const char *s = json_string (m->value);
      char key_buf[KEY_MAX];
      const char *key = join_key (key_buf, prefix, "commands", m->key);
      int c;

      for (c = 0; c < ENGINE_COMMAND_COUNT; c++)
        if (strcmp (engine_command_names[c], m->key) == 0)
          break;
      if (c == ENGINE_COMMAND_COUNT)
        return source_error (src, m->value, key, err,
                             "unknown command (exec, checkpoint, restore, update, pause, resume, "
                             "kill)");
      if (s == NULL || (strcmp (s, "allow") != 0 && strcmp (s, "deny") != 0))
        return source_error (src, m->value, key, err, "must be \"allow\" or \"deny\"");
      p->command_denied[c] = strcmp (s, "deny") == 0;
    }
  return 0;
}

static int
apply_controls (struct policy *p, const struct json *obj, const struct source *src,
                const char *prefix, struct hr_error *err)
{
  for (size_t i = 0; i < obj->obj.len; i++)
    {
      const struct json_member *m = &obj->obj.members[i];
      enum control_id id;
      enum control_action action;
      const char *s = json_string (m->value);
      char key_buf[KEY_MAX];
      const char *key = join_key (key_buf, prefix, "controls", m->key);

      if (control_from_name (m->key, &id) < 0)
        return source_error (src, m->value, key, err, "unknown control");
      if (s == NULL || control_action_from_name (s, &action) < 0)
        return source_error (src, m->value, key, err,
                             "must be one of \"enforce\", \"deny\", \"audit\", \"off\"");
      p->actions[id] = action;
    }
  return 0;
}

void
policy_init (struct policy *p, const char *name)
{
  memset (p, 0, sizeof *p);
  p->name = hr_xstrdup (name);
  p->mode = MODE_ENFORCE;
  for (int i = 0; i < CONTROL_COUNT; i++)
    p->actions[i] = ACTION_ENFORCE;
  p->tmpfs_size = hr_xstrdup ("memory");
  p->learning_promote_after = 3;
}

/* "learning": "record" | "complain" | "enforce" | "off", and
 * "learning_promote_after": quiet runs before promotion (0: by hand). */
static int
apply_learning (struct policy *p, const struct json_member *m, const struct source *src, const char *key,
                struct hr_error *err)
{
  const char *s = json_string (m->value);
  int64_t n;

  if (strcmp (m->key, "learning_promote_after") == 0)
    {
      if (json_number_to_i64 (m->value, &n) < 0 || n < 0 || n > 1000000)
        return source_error (src, m->value, key, err, "must be a count of runs (0: promote by hand)");
      p->learning_promote_after = n;
      return 0;
    }
  for (size_t i = 0; s != NULL && i < sizeof learning_modes / sizeof learning_modes[0]; i++)
    if (strcmp (s, learning_modes[i]) == 0)
      {
        p->learning = (enum learning_mode) i;
        return 0;
      }
  return source_error (src, m->value, key, err, "must be \"record\", \"complain\", \"enforce\" or \"off\"");
}

int
policy_apply (struct policy *p, const struct json *obj, const struct source *src,
              const char *prefix, struct hr_error *err)
{
  if (!json_is (obj, JSON_OBJECT))
    return source_error (src, obj, prefix, err, "must be an object");
  for (size_t i = 0; i < obj->obj.len; i++)
    {
      const struct json_member *m = &obj->obj.members[i];
      const char *s = json_string (m->value);
      char key_buf[KEY_MAX];
      const char *key = join_key (key_buf, prefix, m->key, NULL);
      int r = 0;

      if (strcmp (m->key, "base") == 0 || strcmp (m->key, "description") == 0)
        {
          if (s == NULL)
            r = source_error (src, m->value, key, err, "must be a string");
        }
      else if (strcmp (m->key, "mode") == 0)
        {
          if (s != NULL && strcmp (s, "enforce") == 0)
            p->mode = MODE_ENFORCE;
          else if (s != NULL && strcmp (s, "audit") == 0)
            p->mode = MODE_AUDIT;
          else
            r = source_error (src, m->value, key, err, "must be \"enforce\" or \"audit\"");
        }
      else if (strcmp (m->key, "learning") == 0 || strcmp (m->key, "learning_promote_after") == 0)
        r = apply_learning (p, m, src, key, err);
      else if (strcmp (m->key, "seccomp_profile") == 0)
        {
          if (s == NULL || s[0] != '/')
            r = source_error (src, m->value, key, err, "must be an absolute path");
          else
            {
              free (p->seccomp_path);
              p->seccomp_path = hr_xstrdup (s);
            }
        }
      else if (strcmp (m->key, "commands") == 0)
        r = json_is (m->value, JSON_OBJECT) ? apply_commands (p, m->value, src, prefix, err)
                                            : source_error (src, m->value, key, err, "must be an object");
      else if (strcmp (m->key, "controls") == 0)
        r = json_is (m->value, JSON_OBJECT) ? apply_controls (p, m->value, src, prefix, err)
                                            : source_error (src, m->value, key, err, "must be an object");
      else if (is_section (m->key))
        r = json_is (m->value, JSON_OBJECT) ? apply_section (p, m->key, m->value, src, prefix, err)
                                            : source_error (src, m->value, key, err, "must be an object");
      else
        r = source_error (src, m->value, key, err, "unknown key");
      if (r < 0)
        return -1;
    }
  return 0;
}

int
policy_load_seccomp (struct policy *p, struct hr_error *err)
{
  cleanup_free char *raw = NULL;
  size_t len = 0;
  struct stat st;

  json_free (p->seccomp_profile);
  p->seccomp_profile = NULL;
  free (p->seccomp_source);
  p->seccomp_source = NULL;
  if (p->seccomp_path == NULL)
    {
      /* compiled in as read-only nodes: nothing to parse, json_free skips it */
      p->seccomp_profile = (struct json *) hr_embedded_seccomp_tree;
      p->seccomp_source = hr_xstrdup ("built-in");
      p->seccomp_builtin = true;
      snprintf (p->seccomp_sha256, sizeof p->seccomp_sha256, "%s", hr_embedded_seccomp_sha256);
      return 0;
    }
  if (spec_read_file (AT_FDCWD, p->seccomp_path, &raw, &len, &st, err) < 0)
    return hr_error_wrap (err, "profile \"%s\": seccomp_profile", p->name);
  if (json_parse (raw, len, JSON_PARSE_COMMENTS, &p->seccomp_profile, err) < 0)
    return hr_error_wrap (err, "%s", p->seccomp_path);
  p->seccomp_source = hr_xstrdup (p->seccomp_path);
  p->seccomp_builtin = false;
  sha256_hex (raw, len, p->seccomp_sha256);
  return 0;
}

void
policy_finish (struct policy *p, const char *config_text, size_t config_len)
{
  struct hr_buf b = { 0 };

  hr_buf_puts (&b, hr_embedded_default_sha256);
  hr_buf_puts (&b, hr_embedded_restricted_sha256);
  hr_buf_puts (&b, p->name);
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
  for (size_t j = 0; j < sizeof settings / sizeof settings[0]; j++)
    switch (settings[j].type)
      {
      case S_SIZE:
      case S_STRING:
        free (*(char **) ((char *) p + settings[j].offset));
        break;
      case S_COUNT:
      case S_BOOL:
        break;
      default:
        string_list_release ((struct string_list *) ((char *) p + settings[j].offset));
      }
  string_list_release (&p->protected_paths);
  free (p->seccomp_path);
  json_free (p->seccomp_profile);
  free (p->seccomp_source);
  memset (p, 0, sizeof *p);
}
