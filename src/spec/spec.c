#include "config.h"
#include "spec/spec.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"

/* ---------- the part of runc's spec types hardrun reads ----------
 * Go's encoding/json decodes a duplicated key into the value the first
 * occurrence produced: scalars and slices of scalars are replaced, a struct
 * or map is decoded into (merged), and null resets pointers, slices and maps
 * but leaves plain structs and scalars alone. Fields not modelled here are
 * never read nor changed by hardrun, so runc's reading of them is untouched. */

enum kind
{
  K_STRING,
  K_BOOL,
  K_NUMBER,
  K_STRUCT,     /* a struct value: null has no effect */
  K_STRUCT_PTR, /* a pointer to struct: null resets it */
  K_SLICE,
  K_MAP,
};

struct field;
struct type
{
  enum kind kind;
  const struct field *fields; /* K_STRUCT, K_STRUCT_PTR */
  const struct type *elem;    /* K_SLICE, K_MAP */
};

struct field
{
  const char *name;
  const struct type *type;
};

static const struct type t_string = { K_STRING, NULL, NULL };
static const struct type t_bool = { K_BOOL, NULL, NULL };
static const struct type t_number = { K_NUMBER, NULL, NULL };
static const struct type t_strings = { K_SLICE, NULL, &t_string };
static const struct type t_numbers = { K_SLICE, NULL, &t_number };
static const struct type t_string_map = { K_MAP, NULL, &t_string };

static const struct field f_user[] = {
  { "uid", &t_number }, { "gid", &t_number }, { "umask", &t_number },
  { "additionalGids", &t_numbers }, { "username", &t_string }, { NULL, NULL },
};
static const struct type t_user = { K_STRUCT, f_user, NULL };

static const struct field f_caps[] = {
  { "bounding", &t_strings }, { "effective", &t_strings }, { "inheritable", &t_strings },
  { "permitted", &t_strings }, { "ambient", &t_strings }, { NULL, NULL },
};
static const struct type t_caps = { K_STRUCT_PTR, f_caps, NULL };

static const struct field f_process[] = {
  { "terminal", &t_bool }, { "user", &t_user }, { "args", &t_strings },
  { "env", &t_strings }, { "cwd", &t_string }, { "capabilities", &t_caps },
  { "noNewPrivileges", &t_bool }, { "apparmorProfile", &t_string },
  { "selinuxLabel", &t_string }, { "oomScoreAdj", &t_number }, { NULL, NULL },
};
static const struct type t_process_ptr = { K_STRUCT_PTR, f_process, NULL };
static const struct type t_process = { K_STRUCT, f_process, NULL };

static const struct field f_root[] = {
  { "path", &t_string }, { "readonly", &t_bool }, { NULL, NULL },
};
static const struct type t_root = { K_STRUCT_PTR, f_root, NULL };

static const struct field f_mount[] = {
  { "destination", &t_string }, { "type", &t_string }, { "source", &t_string },
  { "options", &t_strings }, { NULL, NULL },
};
static const struct type t_mount = { K_STRUCT, f_mount, NULL };
static const struct type t_mounts = { K_SLICE, NULL, &t_mount };

static const struct field f_seccomp_arg[] = {
  { "index", &t_number }, { "value", &t_number }, { "valueTwo", &t_number },
  { "op", &t_string }, { NULL, NULL },
};
static const struct type t_seccomp_arg = { K_STRUCT, f_seccomp_arg, NULL };
static const struct type t_seccomp_args = { K_SLICE, NULL, &t_seccomp_arg };

static const struct field f_syscall[] = {
  { "names", &t_strings }, { "action", &t_string }, { "errnoRet", &t_number },
  { "args", &t_seccomp_args }, { NULL, NULL },
};
static const struct type t_syscall = { K_STRUCT, f_syscall, NULL };
static const struct type t_syscalls = { K_SLICE, NULL, &t_syscall };

static const struct field f_seccomp[] = {
  { "defaultAction", &t_string }, { "defaultErrnoRet", &t_number },
  { "architectures", &t_strings }, { "flags", &t_strings },
  { "listenerPath", &t_string }, { "listenerMetadata", &t_string },
  { "syscalls", &t_syscalls }, { NULL, NULL },
};
static const struct type t_seccomp = { K_STRUCT_PTR, f_seccomp, NULL };

static const struct field f_namespace[] = {
  { "type", &t_string }, { "path", &t_string }, { NULL, NULL },
};
static const struct type t_namespace = { K_STRUCT, f_namespace, NULL };
static const struct type t_namespaces = { K_SLICE, NULL, &t_namespace };

static const struct field f_device[] = {
  { "path", &t_string }, { "type", &t_string }, { "major", &t_number },
  { "minor", &t_number }, { NULL, NULL },
};
static const struct type t_device = { K_STRUCT, f_device, NULL };
static const struct type t_devices = { K_SLICE, NULL, &t_device };

static const struct field f_device_rule[] = {
  { "allow", &t_bool }, { "type", &t_string }, { "major", &t_number },
  { "minor", &t_number }, { "access", &t_string }, { NULL, NULL },
};
static const struct type t_device_rule = { K_STRUCT, f_device_rule, NULL };
static const struct type t_device_rules = { K_SLICE, NULL, &t_device_rule };

static const struct field f_limit[] = { { "limit", &t_number }, { NULL, NULL } };
static const struct type t_limit = { K_STRUCT_PTR, f_limit, NULL };

static const struct field f_resources[] = {
  { "devices", &t_device_rules }, { "pids", &t_limit }, { "memory", &t_limit }, { NULL, NULL },
};
static const struct type t_resources = { K_STRUCT_PTR, f_resources, NULL };

static const struct field f_id_mapping[] = {
  { "containerID", &t_number }, { "hostID", &t_number }, { "size", &t_number }, { NULL, NULL },
};
static const struct type t_id_mapping = { K_STRUCT, f_id_mapping, NULL };
static const struct type t_id_mappings = { K_SLICE, NULL, &t_id_mapping };

static const struct field f_intel_rdt[] = {
  { "closID", &t_string }, { "l3CacheSchema", &t_string }, { "memBwSchema", &t_string }, { NULL, NULL },
};
static const struct type t_intel_rdt = { K_STRUCT_PTR, f_intel_rdt, NULL };

static const struct field f_linux[] = {
  { "namespaces", &t_namespaces }, { "seccomp", &t_seccomp },
  { "maskedPaths", &t_strings }, { "readonlyPaths", &t_strings },
  { "sysctl", &t_string_map }, { "mountLabel", &t_string }, { "devices", &t_devices },
  { "resources", &t_resources }, { "cgroupsPath", &t_string },
  { "rootfsPropagation", &t_string }, { "uidMappings", &t_id_mappings },
  { "gidMappings", &t_id_mappings }, { "intelRdt", &t_intel_rdt }, { NULL, NULL },
};
static const struct type t_linux = { K_STRUCT_PTR, f_linux, NULL };

static const struct field f_hook[] = {
  { "path", &t_string }, { "args", &t_strings }, { "env", &t_strings },
  { "timeout", &t_number }, { NULL, NULL },
};
static const struct type t_hook = { K_STRUCT, f_hook, NULL };
static const struct type t_hook_list = { K_SLICE, NULL, &t_hook };

static const struct field f_hooks[] = {
  { "prestart", &t_hook_list }, { "createRuntime", &t_hook_list },
  { "createContainer", &t_hook_list }, { "startContainer", &t_hook_list },
  { "poststart", &t_hook_list }, { "poststop", &t_hook_list }, { NULL, NULL },
};
static const struct type t_hooks = { K_STRUCT_PTR, f_hooks, NULL };

static const struct field f_spec[] = {
  { "ociVersion", &t_string }, { "process", &t_process_ptr }, { "root", &t_root },
  { "hostname", &t_string }, { "mounts", &t_mounts }, { "annotations", &t_string_map },
  { "linux", &t_linux }, { "hooks", &t_hooks }, { NULL, NULL },
};
static const struct type t_spec = { K_STRUCT, f_spec, NULL };

/* ---------- normalization ---------- */

struct norm
{
  struct spec *spec;
  const char *buf;
  size_t len;
  struct hr_error *err;
};

static const struct field *
find_field (const struct type *t, const char *key, size_t key_len)
{
  for (const struct field *f = t->fields; f->name; f++)
    if (json_key_folds_to (key, key_len, f->name))
      return f;
  return NULL;
}

static bool
kind_accepts (enum kind k, enum json_type jt)
{
  if (jt == JSON_NULL)
    return true;
  switch (k)
    {
    case K_STRING:
      return jt == JSON_STRING;
    case K_BOOL:
      return jt == JSON_BOOL;
    case K_NUMBER:
      return jt == JSON_NUMBER;
    case K_STRUCT:
    case K_STRUCT_PTR:
    case K_MAP:
      return jt == JSON_OBJECT;
    case K_SLICE:
      return jt == JSON_ARRAY;
    }
  return false;
}

static const char *
kind_name (enum kind k)
{
  switch (k)
    {
    case K_STRING:
      return "a string";
    case K_BOOL:
      return "a boolean";
    case K_NUMBER:
      return "a number";
    case K_SLICE:
      return "an array";
    default:
      return "an object";
    }
}

static void
note_collapse (struct norm *n, const char *path)
{
  if (n->spec->collapsed_keys++ == 0)
    snprintf (n->spec->collapsed_example, sizeof n->spec->collapsed_example, "%s", path);
}

static int merge (struct norm *n, const struct type *t, const char *path, struct json *old,
                  struct json *new_value, struct json **out);

/* Every number hardrun manages is an integer field in runc's types: Go
 * refuses 1.5, 1e3 and anything past 64 bits. Both readings (in place and
 * merged) check it, or a file could pass one and fail the other. */
static int
check_integer (struct norm *n, const char *path, const struct json *v)
{
  int64_t i;
  uint64_t u;
  if (v->type == JSON_NUMBER && json_number_to_i64 (v, &i) < 0 && json_number_to_u64 (v, &u) < 0)
    return hr_error_set (n->err, 0, "line %u: %s must be an integer within 64 bits, not %.*s",
                         json_line_of (n->buf, n->len, v->offset), path,
                         (int) (v->str.len > 40 ? 40 : v->str.len), v->str.text);
  return 0;
}

/* Decode `value` into the struct `into` (an object), field by field. */
static int
merge_struct_members (struct norm *n, const struct type *t, const char *path, struct json *into,
                      struct json *value)
{
  for (size_t i = 0; i < value->obj.len; i++)
    {
      struct json_member *m = &value->obj.members[i];
      const struct field *f = find_field (t, m->key, m->key_len);
      cleanup_free char *sub = path[0] ? hr_xasprintf ("%s.%s", path, f ? f->name : m->key)
                                        : hr_xstrdup (f ? f->name : m->key);
      struct json *merged = NULL;
      size_t at = SIZE_MAX;

      if (f == NULL)
        {
          /* Unknown to hardrun: kept as is, in order. */
          json_object_append_len (into, m->key, m->key_len, json_clone (m->value));
          continue;
        }
      for (size_t j = 0; j < into->obj.len; j++)
        if (find_field (t, into->obj.members[j].key, into->obj.members[j].key_len) == f)
          at = j;
      if (at != SIZE_MAX)
        note_collapse (n, sub);
      if (merge (n, f->type, sub, at != SIZE_MAX ? into->obj.members[at].value : NULL, m->value,
                 &merged) < 0)
        return -1;
      if (at != SIZE_MAX)
        {
          /* runc keeps the field where it first saw it; so do we, with the
           * key text of the occurrence that was read last. */
          struct json_member *dst = &into->obj.members[at];
          json_free (dst->value);
          dst->value = merged;
          free (dst->key);
          dst->key = hr_xstrndup (m->key, m->key_len);
          dst->key_len = m->key_len;
        }
      else
        {
        json_object_append_len (into, m->key, m->key_len, merged);
        }
    }
  return 0;
}

static uint64_t
key_hash (const char *key, size_t len)
{
  uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
  for (size_t i = 0; i < len; i++)
    h = (h ^ (unsigned char) key[i]) * 0x100000001b3ull;
  return h;
}

static bool
same_key (const struct json_member *a, const struct json_member *b)
{
  return a->key_len == b->key_len && memcmp (a->key, b->key, a->key_len) == 0;
}

/* Pairs for a handful of keys; a hash set of member indices for maps of
 * thousands (annotations, sysctls). */
static bool
object_has_duplicate_keys (const struct json *o)
{
  cleanup_free size_t *slots = NULL;
  size_t n = o->obj.len, size = 16;

  if (n < 2)
    return false;
  if (n <= 8)
    {
      for (size_t i = 1; i < n; i++)
        for (size_t j = 0; j < i; j++)
          if (same_key (&o->obj.members[i], &o->obj.members[j]))
            return true;
      return false;
    }
  while (size < 2 * n)
    size *= 2;
  slots = hr_xmalloc (size * sizeof *slots); /* member index + 1; 0 is empty */
  memset (slots, 0, size * sizeof *slots);
  for (size_t i = 0; i < n; i++)
    {
      const struct json_member *m = &o->obj.members[i];
      size_t at = (size_t) key_hash (m->key, m->key_len) & (size - 1);
      while (slots[at] != 0)
        {
          if (same_key (&o->obj.members[slots[at] - 1], m))
            return true;
          at = (at + 1) & (size - 1);
        }
      slots[at] = i + 1;
    }
  return false;
}

/* A map: decoded into the old one's entries, the last of a repeated key wins. */
static int
merge_map (struct norm *n, const struct type *t, const char *path, struct json *old,
           struct json *new_value, struct json **out)
{
  struct json *into = (old != NULL && old->type == JSON_OBJECT) ? json_clone (old) : json_new_object ();
  bool may_repeat = into->obj.len > 0 || object_has_duplicate_keys (new_value);

  into->offset = new_value->offset;
  for (size_t i = 0; i < new_value->obj.len; i++)
    {
      struct json_member *m = &new_value->obj.members[i];
      cleanup_free char *key = hr_xstrndup (m->key, m->key_len);
      cleanup_free char *sub = hr_xasprintf ("%s[\"%s\"]", path, key);
      struct json *elem = NULL;
      if (merge (n, t->elem, sub, NULL, m->value, &elem) < 0)
        {
          json_free (into);
          return -1;
        }
      /* a fresh map with unique keys (the usual case) appends in
       * order; only a key seen before needs the last-wins lookup */
      if (!may_repeat || memchr (m->key, '\0', m->key_len) != NULL)
        json_object_append_len (into, m->key, m->key_len, elem);
      else
        {
          if (json_object_get (into, key) != NULL)
            note_collapse (n, sub);
          json_object_set (into, key, elem);
        }
    }
  *out = into;
  return 0;
}

/* A slice: the new array replaces the old one. */
static int
merge_slice (struct norm *n, const struct type *t, const char *path, struct json *old,
             struct json *new_value, struct json **out)
{
  struct json *arr;
  bool struct_elems = t->elem->kind == K_STRUCT || t->elem->kind == K_STRUCT_PTR;

  /* Go decodes a second array of structs into the first one's elements
   * (and into stale capacity beyond them): a reading no one should rely
   * on. Refuse it rather than guess. */
  if (struct_elems && old != NULL && old->type == JSON_ARRAY && old->arr.len > 0 && new_value->arr.len > 0)
    return hr_error_set (n->err, 0,
                         "line %u: %s is given twice; runc would merge the two "
                         "arrays element by element: remove one of them",
                         json_line_of (n->buf, n->len, new_value->offset), path);
  arr = json_new_array ();
  arr->offset = new_value->offset;
  for (size_t i = 0; i < new_value->arr.len; i++)
    {
      cleanup_free char *sub = hr_xasprintf ("%s[%zu]", path, i);
      struct json *elem = NULL;
      if (merge (n, t->elem, sub, NULL, new_value->arr.items[i], &elem) < 0)
        {
          json_free (arr);
          return -1;
        }
      json_array_append (arr, elem);
    }
  *out = arr;
  return 0;
}

/* What Go's decoder leaves in a field whose current decoded value is `old`
 * (NULL: zero value) after decoding `new_value` into it. */
static int
merge (struct norm *n, const struct type *t, const char *path, struct json *old,
       struct json *new_value, struct json **out)
{
  *out = NULL;
  if (!kind_accepts (t->kind, new_value->type))
    return hr_error_set (n->err, 0, "line %u: %s must be %s, not %s",
                         json_line_of (n->buf, n->len, new_value->offset), path,
                         kind_name (t->kind), json_type_name (new_value->type));

  if (new_value->type == JSON_NULL)
    {
      /* null resets pointers, slices and maps; anything else keeps its value */
      if (old != NULL && (t->kind == K_STRUCT || t->kind == K_STRING || t->kind == K_BOOL
                          || t->kind == K_NUMBER))
        *out = json_clone (old);
      else
        *out = json_new_null ();
      (*out)->offset = new_value->offset;
      return 0;
    }

  switch (t->kind)
    {
    case K_NUMBER:
      if (check_integer (n, path, new_value) < 0)
        return -1;
      *out = json_clone (new_value);
      return 0;
    case K_STRING:
    case K_BOOL:
      *out = json_clone (new_value);
      return 0;

    case K_STRUCT:
    case K_STRUCT_PTR:
      {
        struct json *into = (old != NULL && old->type == JSON_OBJECT) ? json_clone (old)
                                                                       : json_new_object ();
        into->offset = new_value->offset;
        if (merge_struct_members (n, t, path, into, new_value) < 0)
          {
            json_free (into);
            return -1;
          }
        *out = into;
        return 0;
      }

    case K_MAP:
      return merge_map (n, t, path, old, new_value, out);
    case K_SLICE:
      return merge_slice (n, t, path, old, new_value, out);
    }
  return hr_error_set (n->err, 0, "%s: unsupported type", path);
}

/* Does this struct object give some field twice (as Go folds keys)? */
static bool
struct_has_duplicate_fields (const struct type *t, const struct json *o)
{
  const struct field *seen[64];
  size_t n_seen = 0;

  for (size_t i = 0; i < o->obj.len; i++)
    {
      const struct field *f = find_field (t, o->obj.members[i].key, o->obj.members[i].key_len);
      if (f == NULL)
        continue;
      for (size_t j = 0; j < n_seen; j++)
        if (seen[j] == f)
          return true;
      if (n_seen < sizeof seen / sizeof seen[0])
        seen[n_seen++] = f;
    }
  return false;
}

/* The path of the node being normalized, built only as deep as the walk
 * goes and formatted only for an error message. */
struct path
{
  char text[512];
  size_t len;
};

static void
path_append (struct path *p, const char *s, size_t n)
{
  if (n > sizeof p->text - 1 - p->len)
    n = sizeof p->text - 1 - p->len;
  memcpy (p->text + p->len, s, n);
  p->len += n;
  p->text[p->len] = '\0';
}

/* Append ".name", "["key"]" or "[i]"; returns the length to pop back to.
 * Plain copies: this runs for every node of every config. */
static size_t
path_push (struct path *p, const char *field, const char *key, size_t key_len, size_t index)
{
  size_t old = p->len;

  if (field != NULL)
    {
      if (p->len > 0)
        path_append (p, ".", 1);
      path_append (p, field, strlen (field));
    }
  else if (key != NULL)
    {
      path_append (p, "[\"", 2);
      path_append (p, key, strnlen (key, key_len));
      path_append (p, "\"]", 2);
    }
  else
    {
      char digits[24];
      size_t n = sizeof digits;
      do
        digits[--n] = (char) ('0' + index % 10);
      while ((index /= 10) > 0);
      path_append (p, "[", 1);
      path_append (p, digits + n, sizeof digits - n);
      path_append (p, "]", 1);
    }
  return old;
}

static void
path_pop (struct path *p, size_t old)
{
  p->len = old;
  p->text[old] = '\0';
}

/* The common case, a config without duplicate keys, checked and kept in
 * place; only an object that repeats a field is rebuilt through merge(). */
static int
normalize (struct norm *n, const struct type *t, struct path *path, struct json *v)
{
  if (!kind_accepts (t->kind, v->type))
    return hr_error_set (n->err, 0, "line %u: %s must be %s, not %s",
                         json_line_of (n->buf, n->len, v->offset), path->text, kind_name (t->kind),
                         json_type_name (v->type));
  switch (t->kind)
    {
    case K_NUMBER:
      return check_integer (n, path->text, v);
    case K_STRUCT:
    case K_STRUCT_PTR:
    case K_MAP:
      if (v->type != JSON_OBJECT)
        return 0;
      if (t->kind == K_MAP ? object_has_duplicate_keys (v) : struct_has_duplicate_fields (t, v))
        {
          struct json *merged = NULL;
          struct json tmp;
          if (merge (n, t, path->text, NULL, v, &merged) < 0)
            return -1;
          /* swap the rebuilt object into place */
          tmp = *v;
          *v = *merged;
          *merged = tmp;
          json_free (merged);
          return 0;
        }
      for (size_t i = 0; i < v->obj.len; i++)
        {
          const struct json_member *m = &v->obj.members[i];
          const struct field *f = t->kind == K_MAP ? NULL : find_field (t, m->key, m->key_len);
          const struct type *ft = t->kind == K_MAP ? t->elem : (f ? f->type : NULL);
          size_t mark;
          int r;

          if (ft == NULL)
            continue;
          if ((ft->kind == K_STRING || ft->kind == K_BOOL) && kind_accepts (ft->kind, m->value->type))
            continue; /* a string or boolean of the right type: nothing to walk */
          if (t->kind == K_MAP)
            mark = path_push (path, NULL, m->key, m->key_len, 0);
          else
            mark = path_push (path, f->name, NULL, 0, 0);
          r = normalize (n, ft, path, m->value);
          path_pop (path, mark);
          if (r < 0)
            return -1;
        }
      return 0;
    case K_SLICE:
      for (size_t i = 0; v->type == JSON_ARRAY && i < v->arr.len; i++)
        {
          const struct type *et = t->elem;
          size_t mark;
          int r;
          if ((et->kind == K_STRING || et->kind == K_BOOL) && kind_accepts (et->kind, v->arr.items[i]->type))
            continue;
          mark = path_push (path, NULL, NULL, 0, i);
          r = normalize (n, et, path, v->arr.items[i]);
          path_pop (path, mark);
          if (r < 0)
            return -1;
        }
      return 0;
    default:
      return 0;
    }
}

int
spec_parse (const char *buf, size_t len, enum spec_kind kind, struct spec *out,
            struct hr_error *err)
{
  struct json *parsed = NULL;
  struct norm n = { .spec = out, .buf = buf, .len = len, .err = err };
  const struct type *t = kind == SPEC_PROCESS ? &t_process : &t_spec;

  memset (out, 0, sizeof *out);
  if (json_parse (buf, len, 0, &parsed, err) < 0)
    return -1;
  if (parsed->type != JSON_OBJECT)
    {
      hr_error_set (err, 0, "the document must be a JSON object, not %s",
                    json_type_name (parsed->type));
      json_free (parsed);
      return -1;
    }
  struct path path = { .len = 0 };
  path.len = (size_t) snprintf (path.text, sizeof path.text, "%s", kind == SPEC_PROCESS ? "process" : "");
  if (normalize (&n, t, &path, parsed) < 0)
    {
      json_free (parsed);
      return -1;
    }
  out->root = parsed;
  return 0;
}

void
spec_release (struct spec *spec)
{
  json_free (spec->root);
  free (spec->raw);
  memset (spec, 0, sizeof *spec);
}

/* ---------- files ---------- */

int
spec_read_fd (int fd, const char *name, char **out, size_t *out_len, struct stat *st, struct hr_error *err)
{
  cleanup_free char *buf = NULL;
  size_t got = 0;

  if (fstat (fd, st) < 0)
    return hr_error_set (err, errno, "stat %s", name);
  if (!S_ISREG (st->st_mode))
    return hr_error_set (err, 0, "%s is not a regular file", name);
  if (st->st_size > (off_t) SPEC_MAX_BYTES)
    return hr_error_set (err, 0, "%s is larger than %u bytes", name, SPEC_MAX_BYTES);

  buf = hr_xmalloc ((size_t) st->st_size + 1);
  while (got <= (size_t) st->st_size)
    {
      ssize_t r = read (fd, buf + got, (size_t) st->st_size + 1 - got);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        return hr_error_set (err, errno, "read %s", name);
      if (r == 0)
        break;
      got += (size_t) r;
    }
  if (got != (size_t) st->st_size)
    return hr_error_set (err, 0, "%s changed while it was read", name);
  buf[got] = '\0';
  *out = steal_pointer (&buf);
  *out_len = got;
  return 0;
}

int
spec_read_file (int dirfd, const char *name, char **out, size_t *out_len, struct stat *st,
                struct hr_error *err)
{
  cleanup_close int fd = openat (dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

  if (fd < 0)
    return hr_error_set (err, errno, "open %s", name);
  return spec_read_fd (fd, name, out, out_len, st, err);
}

int
spec_read_stream (int fd, const char *name, char **out, size_t *out_len, struct hr_error *err)
{
  struct hr_buf b = { 0 };
  char chunk[65536];

  for (;;)
    {
      ssize_t r = read (fd, chunk, sizeof chunk);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          free (b.data);
          return hr_error_set (err, errno, "read %s", name);
        }
      if (r == 0)
        break;
      if (b.len + (size_t) r > SPEC_MAX_BYTES)
        {
          free (b.data);
          return hr_error_set (err, 0, "%s is larger than %u bytes", name, SPEC_MAX_BYTES);
        }
      hr_buf_append (&b, chunk, (size_t) r);
    }
  *out = b.data != NULL ? b.data : hr_xstrdup ("");
  *out_len = b.len;
  return 0;
}

int
spec_load_bytes (char *raw, size_t len, enum spec_kind kind, struct spec *out, struct hr_error *err)
{
  int r;

  memset (out, 0, sizeof *out);
  r = spec_parse (raw, len, kind, out, err);
  /* the bytes stay, also unparsed: the caller may still record their digest */
  out->raw = raw;
  out->raw_len = len;
  return r;
}

int
spec_load (int dirfd, const char *name, enum spec_kind kind, struct spec *out,
           struct hr_error *err)
{
  char *raw = NULL;
  size_t len = 0;
  struct stat st;

  memset (out, 0, sizeof *out);
  if (spec_read_file (dirfd, name, &raw, &len, &st, err) < 0)
    return -1;
  if (spec_load_bytes (raw, len, kind, out, err) < 0)
    return hr_error_wrap (err, "%s", name);
  out->mode = st.st_mode & 07777;
  out->uid = st.st_uid;
  out->gid = st.st_gid;
  return 0;
}

int
spec_serialize (const struct spec *spec, bool pretty, char **out, size_t *out_len,
                struct hr_error *err)
{
  return json_write (spec->root, pretty ? JSON_WRITE_PRETTY : 0, out, out_len, err);
}

/* A hardrun killed between creating its temporary file and renaming it
 * leaves the file behind: the next write beside it removes it. */
static void
remove_stale_temporaries (int dirfd, const char *name)
{
  int fd = dup (dirfd);
  DIR *d = fd >= 0 ? fdopendir (fd) : NULL;
  struct dirent *de;
  cleanup_free char *prefix = hr_xasprintf (".%s.hardrun-", name);
  size_t n = strlen (prefix);

  if (d == NULL)
    {
      if (fd >= 0)
        close (fd);
      return;
    }
  while ((de = readdir (d)) != NULL)
    if (strncmp (de->d_name, prefix, n) == 0)
      unlinkat (dirfd, de->d_name, 0);
  closedir (d);
}

int
spec_write_atomic (int dirfd, const char *name, const char *data, size_t len, mode_t mode,
                   uid_t uid, gid_t gid, struct hr_error *err)
{
  cleanup_close int fd = -1;
  char tmp[256];
  size_t done = 0;

  remove_stale_temporaries (dirfd, name);
  for (int attempt = 0; fd < 0; attempt++)
    {
      /* an unpredictable name, created exclusively: nobody can plant it */
      uint64_t r = 0;
      if (getrandom (&r, sizeof r, 0) != sizeof r)
        r = (uint64_t) getpid () << 20 ^ (uint64_t) attempt;
      snprintf (tmp, sizeof tmp, ".%s.hardrun-%016llx", name, (unsigned long long) r);
      fd = openat (dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0 && (errno != EEXIST || attempt > 16))
        return hr_error_set (err, errno, "create a temporary file beside %s", name);
    }
  while (done < len)
    {
      ssize_t w = write (fd, data + done, len - done);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        {
          hr_error_set (err, errno, "write %s", tmp);
          goto fail;
        }
      done += (size_t) w;
    }
  if (fchown (fd, uid, gid) < 0 && errno != EPERM)
    {
      hr_error_set (err, errno, "chown %s", tmp);
      goto fail;
    }
  if (fchmod (fd, mode) < 0)
    {
      hr_error_set (err, errno, "chmod %s", tmp);
      goto fail;
    }
  /* No fsync: the rename is what makes the write atomic against a crash of
   * hardrun (readers see the old file or the new one, never half), and
   * bundles live on tmpfs that engines rebuild after a reboot. Measured: the
   * fsyncs were 3 ms of a 9 ms create (bench/run.sh). */
  if (renameat (dirfd, tmp, dirfd, name) < 0)
    {
      hr_error_set (err, errno, "rename %s to %s", tmp, name);
      goto fail;
    }
  return 0;

fail:
  unlinkat (dirfd, tmp, 0);
  return -1;
}

/* ---------- access ---------- */

bool
spec_has_namespace (const struct json *spec, const char *type)
{
  const struct json *list = spec_get_path (spec, "linux", "namespaces", NULL);

  for (size_t i = 0; json_is (list, JSON_ARRAY) && i < list->arr.len; i++)
    {
      const char *t = json_string (spec_get (list->arr.items[i], "type"));
      if (t != NULL && strcmp (t, type) == 0)
        return true;
    }
  return false;
}

bool
spec_mount_is_bind (const struct json *mount)
{
  const char *type = json_string (spec_get (mount, "type"));
  const struct json *options = spec_get (mount, "options");
  return (type != NULL && strcmp (type, "bind") == 0) || json_array_has_string (options, "bind")
         || json_array_has_string (options, "rbind");
}

struct json *
spec_get (const struct json *object, const char *field)
{
  return json_object_get_field (object, field);
}

struct json *
spec_get_path (const struct json *root, ...)
{
  va_list ap;
  const struct json *cur = root;
  const char *f;

  va_start (ap, root);
  while (cur != NULL && (f = va_arg (ap, const char *)) != NULL)
    cur = json_object_get_field (cur, f);
  va_end (ap);
  return (struct json *) cur;
}

void
spec_set (struct json *object, const char *field, struct json *value)
{
  for (size_t i = object->obj.len; i-- > 0;)
    {
      struct json_member *m = &object->obj.members[i];
      if (json_key_folds_to (m->key, m->key_len, field))
        {
          json_free (m->value);
          m->value = value;
          return;
        }
    }
  json_object_append (object, field, value);
}

struct json *
spec_ensure_object (struct json *root, ...)
{
  va_list ap;
  struct json *cur = root;
  const char *f;

  va_start (ap, root);
  while ((f = va_arg (ap, const char *)) != NULL)
    {
      struct json *next = json_object_get_field (cur, f);
      if (!json_is (next, JSON_OBJECT))
        {
          next = json_new_object ();
          spec_set (cur, f, next);
        }
      cur = next;
    }
  va_end (ap);
  return cur;
}
