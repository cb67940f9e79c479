#include "config.h"
#include "spec/json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "base/cleanup.h"

/* ---------- construction ---------- */

/* malloc, not calloc: glibc's calloc skips the thread cache, and parsing
 * allocates a node per value. */
static struct json *
json_new (enum json_type t)
{
  struct json *v = hr_xmalloc (sizeof *v);
  *v = (struct json){ .type = t };
  return v;
}

/* A string or number node and its text in one allocation. */
static struct json *
json_new_text (enum json_type t, const char *s, size_t len)
{
  size_t size = sizeof (struct json) + len + 1;
  struct json *v = hr_xmalloc (size > len ? size : SIZE_MAX); /* SIZE_MAX fails: out of memory */

  *v = (struct json){ .type = t, .text_inline = true };
  v->str.text = (char *) (v + 1);
  memcpy (v->str.text, s, len);
  v->str.text[len] = '\0';
  v->str.len = len;
  return v;
}

struct json *
json_new_null (void)
{
  return json_new (JSON_NULL);
}

struct json *
json_new_bool (bool b)
{
  struct json *v = json_new (JSON_BOOL);
  v->boolean = b;
  return v;
}

struct json *
json_new_string_len (const char *s, size_t len)
{
  return json_new_text (JSON_STRING, s, len);
}

struct json *
json_new_string (const char *s)
{
  return json_new_string_len (s, strlen (s));
}

struct json *
json_new_number_text (const char *text)
{
  return json_new_text (JSON_NUMBER, text, strlen (text));
}

struct json *
json_new_uint (uint64_t n)
{
  char buf[32];
  snprintf (buf, sizeof buf, "%" PRIu64, n);
  return json_new_number_text (buf);
}

struct json *
json_new_array (void)
{
  return json_new (JSON_ARRAY);
}

struct json *
json_new_object (void)
{
  return json_new (JSON_OBJECT);
}

void
json_array_append (struct json *a, struct json *value)
{
  if (a->arr.len == a->arr.cap)
    {
      a->arr.cap = a->arr.cap ? a->arr.cap * 2 : 8;
      a->arr.items = hr_xrealloc (a->arr.items, a->arr.cap * sizeof *a->arr.items);
    }
  a->arr.items[a->arr.len++] = value;
}

void
json_array_remove (struct json *a, size_t index)
{
  json_free (a->arr.items[index]);
  memmove (&a->arr.items[index], &a->arr.items[index + 1],
           (a->arr.len - index - 1) * sizeof *a->arr.items);
  a->arr.len--;
}

/* Append a member whose key the object takes over. */
static void
object_append_owned_key (struct json *o, char *key, size_t key_len, struct json *value)
{
  if (o->obj.len == o->obj.cap)
    {
      o->obj.cap = o->obj.cap ? o->obj.cap * 2 : 8;
      o->obj.members = hr_xrealloc (o->obj.members, o->obj.cap * sizeof *o->obj.members);
    }
  o->obj.members[o->obj.len].key = key;
  o->obj.members[o->obj.len].key_len = key_len;
  o->obj.members[o->obj.len].value = value;
  o->obj.len++;
}

void
json_object_append_len (struct json *o, const char *key, size_t key_len, struct json *value)
{
  object_append_owned_key (o, hr_xstrndup (key, key_len), key_len, value);
}

void
json_object_append (struct json *o, const char *key, struct json *value)
{
  json_object_append_len (o, key, strlen (key), value);
}

void
json_object_set (struct json *o, const char *key, struct json *value)
{
  size_t klen = strlen (key);
  for (size_t i = o->obj.len; i-- > 0;)
    {
      struct json_member *m = &o->obj.members[i];
      if (m->key_len == klen && memcmp (m->key, key, klen) == 0)
        {
          json_free (m->value);
          m->value = value;
          return;
        }
    }
  json_object_append_len (o, key, klen, value);
}

void
json_object_remove_at (struct json *o, size_t index)
{
  free (o->obj.members[index].key);
  json_free (o->obj.members[index].value);
  memmove (&o->obj.members[index], &o->obj.members[index + 1],
           (o->obj.len - index - 1) * sizeof *o->obj.members);
  o->obj.len--;
}

void
json_free (struct json *v)
{
  if (v == NULL || v->is_static)
    return;
  switch (v->type)
    {
    case JSON_STRING:
    case JSON_NUMBER:
      if (!v->text_inline)
        free (v->str.text);
      break;
    case JSON_ARRAY:
      for (size_t i = 0; i < v->arr.len; i++)
        json_free (v->arr.items[i]);
      free (v->arr.items);
      break;
    case JSON_OBJECT:
      for (size_t i = 0; i < v->obj.len; i++)
        {
          free (v->obj.members[i].key);
          json_free (v->obj.members[i].value);
        }
      free (v->obj.members);
      break;
    case JSON_NULL:
    case JSON_BOOL:
      break;
    }
  free (v);
}

struct json *
json_clone (const struct json *v)
{
  struct json *c;

  if (v == NULL)
    return NULL;
  if (v->type == JSON_STRING || v->type == JSON_NUMBER)
    {
      c = json_new_text (v->type, v->str.text, v->str.len);
      c->offset = v->offset;
      return c;
    }
  c = json_new (v->type);
  c->offset = v->offset;
  switch (v->type)
    {
    case JSON_BOOL:
      c->boolean = v->boolean;
      break;
    case JSON_STRING:
    case JSON_NUMBER:
      break;
    case JSON_ARRAY:
      for (size_t i = 0; i < v->arr.len; i++)
        json_array_append (c, json_clone (v->arr.items[i]));
      break;
    case JSON_OBJECT:
      for (size_t i = 0; i < v->obj.len; i++)
        json_object_append_len (c, v->obj.members[i].key, v->obj.members[i].key_len,
                           json_clone (v->obj.members[i].value));
      break;
    case JSON_NULL:
      break;
    }
  return c;
}

struct json *
json_share (const struct json *v)
{
  return v != NULL && v->is_static ? (struct json *) v : json_clone (v);
}

bool
json_equal (const struct json *a, const struct json *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->type != b->type)
    return false;
  switch (a->type)
    {
    case JSON_NULL:
      return true;
    case JSON_BOOL:
      return a->boolean == b->boolean;
    case JSON_STRING:
    case JSON_NUMBER:
      return a->str.len == b->str.len && memcmp (a->str.text, b->str.text, a->str.len) == 0;
    case JSON_ARRAY:
      if (a->arr.len != b->arr.len)
        return false;
      for (size_t i = 0; i < a->arr.len; i++)
        if (!json_equal (a->arr.items[i], b->arr.items[i]))
          return false;
      return true;
    case JSON_OBJECT:
      if (a->obj.len != b->obj.len)
        return false;
      for (size_t i = 0; i < a->obj.len; i++)
        {
          const struct json_member *ma = &a->obj.members[i], *mb = &b->obj.members[i];
          if (ma->key_len != mb->key_len || memcmp (ma->key, mb->key, ma->key_len) != 0
              || !json_equal (ma->value, mb->value))
            return false;
        }
      return true;
    }
  return false;
}

/* ---------- lookup ---------- */

struct json *
json_object_get (const struct json *o, const char *key)
{
  size_t klen;

  if (o == NULL || o->type != JSON_OBJECT)
    return NULL;
  klen = strlen (key);
  for (size_t i = o->obj.len; i-- > 0;)
    {
      const struct json_member *m = &o->obj.members[i];
      if (m->key_len == klen && memcmp (m->key, key, klen) == 0)
        return m->value;
    }
  return NULL;
}

static unsigned char
ascii_lower (unsigned char c)
{
  return (c >= 'A' && c <= 'Z') ? (unsigned char) (c + 32) : c;
}

bool
json_key_folds_to (const char *key, size_t key_len, const char *field)
{
  const unsigned char *k = (const unsigned char *) key;
  const unsigned char *f = (const unsigned char *) field;
  size_t i = 0;

  for (; *f; f++)
    {
      unsigned char want = ascii_lower (*f);
      if (i >= key_len)
        return false;
      if (k[i] < 0x80)
        {
          if (ascii_lower (k[i]) != want)
            return false;
          i++;
        }
      else if (i + 1 < key_len && k[i] == 0xC5 && k[i + 1] == 0xBF) /* U+017F */
        {
          if (want != 's')
            return false;
          i += 2;
        }
      else if (i + 2 < key_len && k[i] == 0xE2 && k[i + 1] == 0x84 && k[i + 2] == 0xAA) /* U+212A */
        {
          if (want != 'k')
            return false;
          i += 3;
        }
      else
        return false;
    }
  return i == key_len;
}

struct json *
json_object_get_field (const struct json *o, const char *field)
{
  if (o == NULL || o->type != JSON_OBJECT)
    return NULL;
  for (size_t i = o->obj.len; i-- > 0;)
    {
      const struct json_member *m = &o->obj.members[i];
      if (json_key_folds_to (m->key, m->key_len, field))
        return m->value;
    }
  return NULL;
}

bool
json_is (const struct json *v, enum json_type t)
{
  return v != NULL && v->type == t;
}

bool
json_array_has_string (const struct json *array, const char *s)
{
  for (size_t i = 0; json_is (array, JSON_ARRAY) && i < array->arr.len; i++)
    {
      const char *v = json_string (array->arr.items[i]);
      if (v != NULL && strcmp (v, s) == 0)
        return true;
    }
  return false;
}

const char *
json_string (const struct json *v)
{
  if (!json_is (v, JSON_STRING) || memchr (v->str.text, '\0', v->str.len) != NULL)
    return NULL;
  return v->str.text;
}

const char *
json_type_name (enum json_type t)
{
  switch (t)
    {
    case JSON_NULL:
      return "null";
    case JSON_BOOL:
      return "boolean";
    case JSON_NUMBER:
      return "number";
    case JSON_STRING:
      return "string";
    case JSON_ARRAY:
      return "array";
    case JSON_OBJECT:
      return "object";
    }
  return "?";
}

int
json_number_to_u64 (const struct json *v, uint64_t *out)
{
  uint64_t n = 0;

  if (!json_is (v, JSON_NUMBER) || v->str.len == 0)
    return -1;
  for (size_t i = 0; i < v->str.len; i++)
    {
      unsigned d = (unsigned) (v->str.text[i] - '0');
      if (d > 9)
        return -1; /* fraction, exponent or sign: not a plain integer */
      if (n > (UINT64_MAX - d) / 10)
        return -1;
      n = n * 10 + d;
    }
  *out = n;
  return 0;
}

int
json_number_to_i64 (const struct json *v, int64_t *out)
{
  uint64_t mag;
  bool neg;
  struct json tmp;

  if (!json_is (v, JSON_NUMBER) || v->str.len == 0)
    return -1;
  neg = v->str.text[0] == '-';
  tmp = *v;
  if (neg)
    {
      tmp.str.text = v->str.text + 1;
      tmp.str.len = v->str.len - 1;
    }
  if (json_number_to_u64 (&tmp, &mag) < 0)
    return -1;
  if (neg)
    {
      if (mag > (uint64_t) INT64_MAX + 1)
        return -1;
      *out = (int64_t) (0 - mag);
    }
  else
    {
      if (mag > INT64_MAX)
        return -1;
      *out = (int64_t) mag;
    }
  return 0;
}

/* ---------- parsing ---------- */

struct parse_ctx
{
  yajl_handle handle;
  struct json *root;
  struct json *stack[JSON_MAX_DEPTH];
  size_t depth;
  char *pending_key; /* key awaiting its value in the innermost object */
  size_t pending_key_len;
  bool too_deep;
};

static size_t
parse_offset (struct parse_ctx *ctx)
{
  return yajl_get_bytes_consumed (ctx->handle);
}

static int
attach (struct parse_ctx *ctx, struct json *v)
{
  v->offset = parse_offset (ctx);
  if (ctx->depth == 0)
    {
      ctx->root = v;
      return 1;
    }
  struct json *parent = ctx->stack[ctx->depth - 1];
  if (parent->type == JSON_ARRAY)
    json_array_append (parent, v);
  else
    {
      object_append_owned_key (parent, ctx->pending_key, ctx->pending_key_len, v);
      ctx->pending_key = NULL;
    }
  return 1;
}

static int
push (struct parse_ctx *ctx, struct json *v)
{
  if (ctx->depth >= JSON_MAX_DEPTH)
    {
      ctx->too_deep = true;
      json_free (v);
      return 0;
    }
  attach (ctx, v);
  ctx->stack[ctx->depth++] = v;
  return 1;
}

static int
cb_null (void *c)
{
  return attach (c, json_new_null ());
}

static int
cb_boolean (void *c, int b)
{
  return attach (c, json_new_bool (b != 0));
}

static int
cb_number (void *c, const char *s, size_t len)
{
  return attach (c, json_new_text (JSON_NUMBER, s, len));
}

static int
cb_string (void *c, const unsigned char *s, size_t len)
{
  return attach (c, json_new_string_len ((const char *) s, len));
}

static int
cb_start_map (void *c)
{
  return push (c, json_new_object ());
}

static int
cb_map_key (void *c, const unsigned char *s, size_t len)
{
  struct parse_ctx *ctx = c;
  free (ctx->pending_key);
  ctx->pending_key = hr_xstrndup ((const char *) s, len);
  ctx->pending_key_len = len;
  return 1;
}

static int
cb_end (void *c)
{
  struct parse_ctx *ctx = c;
  ctx->depth--;
  return 1;
}

static int
cb_start_array (void *c)
{
  return push (c, json_new_array ());
}

static const yajl_callbacks parse_callbacks = {
  .yajl_null = cb_null,
  .yajl_boolean = cb_boolean,
  .yajl_number = cb_number,
  .yajl_string = cb_string,
  .yajl_start_map = cb_start_map,
  .yajl_map_key = cb_map_key,
  .yajl_end_map = cb_end,
  .yajl_start_array = cb_start_array,
  .yajl_end_array = cb_end,
};

unsigned
json_line_of (const char *buf, size_t len, size_t offset)
{
  unsigned line = 1;
  for (size_t i = 0; i < offset && i < len; i++)
    if (buf[i] == '\n')
      line++;
  return line;
}

static int
hexval (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static int
read_u16_escape (const char *p, size_t avail, unsigned *out)
{
  unsigned v = 0;
  if (avail < 6 || p[0] != '\\' || p[1] != 'u')
    return -1;
  for (int i = 2; i < 6; i++)
    {
      int h = hexval (p[i]);
      if (h < 0)
        return -1;
      v = v * 16 + (unsigned) h;
    }
  *out = v;
  return 0;
}

/* yajl and Go decode unpaired UTF-16 surrogate escapes differently (yajl
 * gives "?" or raw surrogate bytes, Go gives U+FFFD), so such a string would
 * mean one thing to hardrun and another to runc: refuse it. */
static int
check_surrogate_escapes (const char *buf, size_t len, bool comments, struct hr_error *err)
{
  bool in_string = false;

  for (size_t i = 0; i < len; i++)
    {
      char c = buf[i];
      /* Without comments a backslash can only start an escape in a string
       * (anywhere else yajl refuses the document): jump between them. */
      if (!comments)
        {
          const char *next = memchr (buf + i, '\\', len - i);
          if (next == NULL)
            break;
          i = (size_t) (next - buf);
          c = '\\';
          in_string = true;
        }
      if (!in_string)
        {
          if (c == '"')
            in_string = true;
          continue;
        }
      if (c == '"')
        in_string = false;
      else if (c == '\\' && i + 1 < len)
        {
          unsigned u, low;
          if (buf[i + 1] != 'u' || read_u16_escape (buf + i, len - i, &u) < 0)
            {
              i++; /* a two-character escape; skip the escaped char */
              continue;
            }
          if (u >= 0xD800 && u <= 0xDBFF)
            {
              if (read_u16_escape (buf + i + 6, len - i - 6, &low) < 0 || low < 0xDC00
                  || low > 0xDFFF)
                return hr_error_set (err, 0, "line %u: unpaired UTF-16 surrogate escape",
                                     json_line_of (buf, len, i));
              i += 11;
            }
          else if (u >= 0xDC00 && u <= 0xDFFF)
            return hr_error_set (err, 0, "line %u: unpaired UTF-16 surrogate escape",
                                 json_line_of (buf, len, i));
          else
            i += 5;
        }
    }
  return 0;
}

int
json_parse (const char *buf, size_t len, unsigned flags, struct json **out, struct hr_error *err)
{
  struct parse_ctx ctx = { 0 };
  yajl_status st;

  *out = NULL;
  if (check_surrogate_escapes (buf, len, (flags & JSON_PARSE_COMMENTS) != 0, err) < 0)
    return -1;

  ctx.handle = yajl_alloc (&parse_callbacks, NULL, &ctx);
  if (ctx.handle == NULL)
    return hr_error_set (err, ENOMEM, "cannot allocate the JSON parser");
  if (flags & JSON_PARSE_COMMENTS)
    yajl_config (ctx.handle, yajl_allow_comments, 1);

  st = yajl_parse (ctx.handle, (const unsigned char *) buf, len);
  if (st == yajl_status_ok)
    st = yajl_complete_parse (ctx.handle);

  if (st != yajl_status_ok || ctx.root == NULL)
    {
      size_t at = yajl_get_bytes_consumed (ctx.handle);
      if (ctx.too_deep)
        hr_error_set (err, 0, "line %u: JSON nested deeper than %d levels",
                      json_line_of (buf, len, at), JSON_MAX_DEPTH);
      else if (st == yajl_status_ok)
        hr_error_set (err, 0, "empty document");
      else
        {
          unsigned char *msg = yajl_get_error (ctx.handle, 0, NULL, 0);
          char *nl;
          char text[256];
          snprintf (text, sizeof text, "%s", msg ? (const char *) msg : "parse error");
          if ((nl = strchr (text, '\n')) != NULL)
            *nl = '\0';
          hr_error_set (err, 0, "line %u: invalid JSON (%s)", json_line_of (buf, len, at), text);
          yajl_free_error (ctx.handle, msg);
        }
      json_free (ctx.root);
      free (ctx.pending_key);
      yajl_free (ctx.handle);
      return -1;
    }
  free (ctx.pending_key);
  yajl_free (ctx.handle);
  *out = ctx.root;
  return 0;
}

/* ---------- writing ---------- */

/* Room for n more bytes and the terminating NUL. */
static inline void
buf_reserve (struct hr_buf *b, size_t n)
{
  if (b->len + n + 1 > b->cap)
    {
      size_t cap = b->cap ? b->cap : 256;
      while (cap < b->len + n + 1)
        cap *= 2;
      b->data = hr_xrealloc (b->data, cap);
      b->cap = cap;
    }
}

/* hr_buf_append inlined for the writer's hot path (the caller ends the
   text with a NUL). */
static inline void
buf_put (struct hr_buf *b, const char *s, size_t n)
{
  buf_reserve (b, n);
  memcpy (b->data + b->len, s, n);
  b->len += n;
}

void
hr_buf_append (struct hr_buf *b, const char *s, size_t n)
{
  buf_reserve (b, n);
  memcpy (b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void
hr_buf_puts (struct hr_buf *b, const char *s)
{
  hr_buf_append (b, s, strlen (s));
}

void
hr_buf_printf (struct hr_buf *b, const char *fmt, ...)
{
  cleanup_free char *s = NULL;
  va_list ap;
  int n;

  va_start (ap, fmt);
  n = vasprintf (&s, fmt, ap);
  va_end (ap);
  if (n < 0)
    {
      s = NULL;
      hr_buf_puts (b, "?");
      return;
    }
  hr_buf_append (b, s, (size_t) n);
}

static void
write_indent (struct hr_buf *b, unsigned depth)
{
  hr_buf_append (b, "\n", 1);
  for (unsigned i = 0; i < depth; i++)
    hr_buf_append (b, "  ", 2);
}

/* Direct serialization: the tree holds valid UTF-8 and number text already,
 * so there is nothing for a generator to check (measured: yajl_gen's checks
 * were a fifth of a create). */
static void
write_value (struct hr_buf *b, const struct json *v, bool pretty, unsigned depth)
{
  switch (v->type)
    {
    case JSON_NULL:
      buf_put (b, "null", 4);
      return;
    case JSON_BOOL:
      if (v->boolean)
        buf_put (b, "true", 4);
      else
        buf_put (b, "false", 5);
      return;
    case JSON_NUMBER:
      buf_put (b, v->str.text, v->str.len);
      return;
    case JSON_STRING:
      json_buf_string (b, v->str.text, v->str.len);
      return;
    case JSON_ARRAY:
      buf_put (b, "[", 1);
      for (size_t i = 0; i < v->arr.len; i++)
        {
          if (i)
            buf_put (b, ",", 1);
          if (pretty)
            write_indent (b, depth + 1);
          write_value (b, v->arr.items[i], pretty, depth + 1);
        }
      if (pretty && v->arr.len)
        write_indent (b, depth);
      buf_put (b, "]", 1);
      return;
    case JSON_OBJECT:
      buf_put (b, "{", 1);
      for (size_t i = 0; i < v->obj.len; i++)
        {
          const struct json_member *m = &v->obj.members[i];
          if (i)
            buf_put (b, ",", 1);
          if (pretty)
            write_indent (b, depth + 1);
          json_buf_string (b, m->key, m->key_len);
          buf_put (b, pretty ? ": " : ":", pretty ? 2 : 1);
          write_value (b, m->value, pretty, depth + 1);
        }
      if (pretty && v->obj.len)
        write_indent (b, depth);
      buf_put (b, "}", 1);
      return;
    }
}

int
json_write (const struct json *v, unsigned flags, char **out, size_t *out_len, struct hr_error *err)
{
  struct hr_buf buf = { 0 };

  (void) err;
  write_value (&buf, v, (flags & JSON_WRITE_PRETTY) != 0, 0);
  hr_buf_append (&buf, "", 0); /* the NUL */
  *out = buf.data;
  if (out_len)
    *out_len = buf.len;
  return 0;
}

#define BYTES(x) (0x0101010101010101ull * (x))

/* Eight bytes at once: none below 0x20, none '"', '\\' or 0x7f (the word
 * tricks are exact about whether any byte matches). Strings are most of a
 * config's bytes, and almost all of them need no escape. */
static bool
plain_word (const char *p)
{
  uint64_t w, quote, backslash, del;

  memcpy (&w, p, sizeof w);
  quote = w ^ BYTES ('"');
  backslash = w ^ BYTES ('\\');
  del = w ^ BYTES (0x7f);
  return (((w - BYTES (0x20)) & ~w) | ((quote - BYTES (1)) & ~quote)
          | ((backslash - BYTES (1)) & ~backslash) | ((del - BYTES (1)) & ~del))
             & BYTES (0x80)
         ? false
         : true;
}

void
json_buf_string (struct hr_buf *b, const char *s, size_t n)
{
  static const char hex[] = "0123456789abcdef";
  size_t run = 0;

  buf_put (b, "\"", 1);
  for (size_t i = 0; i < n; i++)
    {
      unsigned char c;

      while (i + 8 <= n && plain_word (s + i))
        i += 8;
      if (i >= n)
        break;
      c = (unsigned char) s[i];
      char esc[6];
      size_t esc_len = 2;

      if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
        continue;
      /* flush the plain bytes before this one */
      buf_put (b, s + run, i - run);
      run = i + 1;
      esc[0] = '\\';
      switch (c)
        {
        case '"':
          esc[1] = '"';
          break;
        case '\\':
          esc[1] = '\\';
          break;
        case '\n':
          esc[1] = 'n';
          break;
        case '\t':
          esc[1] = 't';
          break;
        case '\r':
          esc[1] = 'r';
          break;
        default:
          esc[1] = 'u';
          esc[2] = '0';
          esc[3] = '0';
          esc[4] = hex[c >> 4];
          esc[5] = hex[c & 15];
          esc_len = 6;
        }
      buf_put (b, esc, esc_len);
    }
  buf_put (b, s + run, n - run);
  buf_put (b, "\"", 1);
  b->data[b->len] = '\0';
}
