/* The JSON tree: the only module that includes yajl (to parse; writing is
 * direct).
 *
 * The tree keeps what a rewrite must not lose: object members in document
 * order (duplicates included), numbers as their source text (so uint64 and
 * 1e3 survive untouched) and strings as length-counted UTF-8 (NUL allowed).
 * Source offsets are kept so errors can name a line. */
#ifndef HARDRUN_JSON_H
#define HARDRUN_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

enum json_type
{
  JSON_NULL,
  JSON_BOOL,
  JSON_NUMBER,
  JSON_STRING,
  JSON_ARRAY,
  JSON_OBJECT,
};

struct json;

struct json_member
{
  char *key;
  size_t key_len;
  struct json *value;
};

struct json
{
  enum json_type type;
  /* Part of a tree compiled into the binary (build-aux/embed-tree): read
     only, never freed. */
  bool is_static;
  /* JSON_STRING/NUMBER: the text lives in the node's own allocation */
  bool text_inline;
  size_t offset; /* byte offset of the value in its source, 0 if built */
  union
  {
    bool boolean;
    struct
    {
      char *text;
      size_t len;
    } str; /* JSON_STRING: decoded UTF-8; JSON_NUMBER: source text */
    struct
    {
      struct json **items;
      size_t len, cap;
    } arr;
    struct
    {
      struct json_member *members;
      size_t len, cap;
    } obj;
  };
};

/* Deeper documents are refused: no OCI config nests anywhere near this. */
#define JSON_MAX_DEPTH 512

enum json_parse_flags
{
  JSON_PARSE_COMMENTS = 1 << 0, /* hardrun's own configuration allows comments */
};

int json_parse (const char *buf, size_t len, unsigned flags, struct json **out,
                struct hr_error *err);

/* 1-based line of a byte offset in buf. */
unsigned json_line_of (const char *buf, size_t len, size_t offset);

enum json_write_flags
{
  JSON_WRITE_PRETTY = 1 << 0,
};

/* Serialized text, NUL-terminated, in *out (caller frees). */
int json_write (const struct json *value, unsigned flags, char **out, size_t *out_len,
                struct hr_error *err);

void json_free (struct json *value);
static inline void
json_freep (struct json **v)
{
  json_free (*v);
}
#define cleanup_json __attribute__ ((cleanup (json_freep)))

struct json *json_clone (const struct json *value);
/* A value to put in another tree and only read there: a compiled-in
 * (static) value itself, anything else a clone. Never modify the result. */
struct json *json_share (const struct json *value);
bool json_equal (const struct json *a, const struct json *b);

/* Constructors. */
struct json *json_new_null (void);
struct json *json_new_bool (bool b);
struct json *json_new_string (const char *s);
struct json *json_new_string_len (const char *s, size_t len);
struct json *json_new_number_text (const char *text);
struct json *json_new_uint (uint64_t v);
struct json *json_new_array (void);
struct json *json_new_object (void);

/* Containers take ownership of the values added. */
void json_array_append (struct json *array, struct json *value);
void json_array_remove (struct json *array, size_t index);
void json_object_append (struct json *object, const char *key, struct json *value);
void json_object_append_len (struct json *object, const char *key, size_t key_len,
                             struct json *value);
/* Replace the value of the LAST member whose key equals `key` exactly, or append. */
void json_object_set (struct json *object, const char *key, struct json *value);
void json_object_remove_at (struct json *object, size_t index);

/* Lookups return the LAST match (as Go's decoder lets the last key win). */
struct json *json_object_get (const struct json *object, const char *key);
/* Match as Go's encoding/json matches a key to a struct field: ASCII case
 * folding plus the two non-ASCII runes that fold onto ASCII letters
 * (U+017F long s, U+212A Kelvin sign). */
bool json_key_folds_to (const char *key, size_t key_len, const char *field);
struct json *json_object_get_field (const struct json *object, const char *field);

/* Convenience typed accessors; NULL / false when absent or of another type. */
const char *json_string (const struct json *v); /* NULL unless a NUL-free string */
bool json_is (const struct json *v, enum json_type t);
/* An array (NULL or another type: none) holding the string s. */
bool json_array_has_string (const struct json *array, const char *s);
const char *json_type_name (enum json_type t);

/* Number text to unsigned 64-bit; -1 if not a plain non-negative integer. */
int json_number_to_u64 (const struct json *v, uint64_t *out);
int json_number_to_i64 (const struct json *v, int64_t *out);

/* Append a JSON string literal for s (quotes included) to a growing buffer. */
struct hr_buf
{
  char *data;
  size_t len, cap;
};
void hr_buf_append (struct hr_buf *b, const char *s, size_t n);
void hr_buf_puts (struct hr_buf *b, const char *s);
void hr_buf_printf (struct hr_buf *b, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
void json_buf_string (struct hr_buf *b, const char *s, size_t n);

#endif
