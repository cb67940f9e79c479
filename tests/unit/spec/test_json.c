/* The JSON tree: lossless text for numbers, order and duplicates kept. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "spec/json.h"

static char *
roundtrip (const char *in)
{
  struct json *v = NULL;
  struct hr_error err = { 0 };
  char *out = NULL;

  assert_int_equal (json_parse (in, strlen (in), 0, &v, &err), 0);
  assert_int_equal (json_write (v, 0, &out, NULL, &err), 0);
  json_free (v);
  return out;
}

static void
test_numbers_survive (void **state)
{
  const char *in = "{\"u\":18446744073709551615,\"i\":-9223372036854775808,\"f\":1.50,"
                   "\"e\":1e3,\"E\":2E-7,\"z\":-0,\"big\":123456789012345678901234567890}";
  char *out = roundtrip (in);
  assert_string_equal (in, out);
  free (out);
}

static void
test_order_and_duplicates_survive (void **state)
{
  const char *in = "{\"z\":1,\"a\":{\"y\":[true,false,null],\"b\":\"x\"},\"z\":2,\"m\":{}}";
  char *out = roundtrip (in);
  assert_string_equal (in, out);
  free (out);
}

static void
test_strings_survive_in_value (void **state)
{
  /* escapes are re-encoded, the decoded value is the same */
  const char *in = "[\"a\\u00e9\\n\\\"\\\\\\/\\u0000end\",\"\\ud83d\\ude00\"]";
  struct json *a = NULL, *b = NULL;
  struct hr_error err;
  char *out = roundtrip (in);

  assert_int_equal (json_parse (in, strlen (in), 0, &a, &err), 0);
  assert_int_equal (json_parse (out, strlen (out), 0, &b, &err), 0);
  assert_true (json_equal (a, b));
  assert_int_equal (a->arr.items[0]->str.len, 11); /* the NUL is kept */
  json_free (a);
  json_free (b);
  free (out);
}

/* The writer's escapes, one byte at a time, as the reference for the
   word-at-a-time scan. */
static void
reference_escape (struct hr_buf *b, const char *s, size_t n)
{
  hr_buf_append (b, "\"", 1);
  for (size_t i = 0; i < n; i++)
    {
      unsigned char c = (unsigned char) s[i];
      char esc[8];
      if (c == '"' || c == '\\')
        snprintf (esc, sizeof esc, "\\%c", c);
      else if (c == '\n')
        snprintf (esc, sizeof esc, "\\n");
      else if (c == '\t')
        snprintf (esc, sizeof esc, "\\t");
      else if (c == '\r')
        snprintf (esc, sizeof esc, "\\r");
      else if (c < 0x20 || c == 0x7f)
        snprintf (esc, sizeof esc, "\\u%04x", c);
      else
        esc[0] = (char) c, esc[1] = '\0';
      hr_buf_append (b, esc, c == 0 ? 6 : strlen (esc));
    }
  hr_buf_append (b, "\"", 1);
}

/* Every byte value at every offset of a word, and two at once. */
static void
test_string_escapes_every_byte (void **state)
{
  (void) state;
  for (unsigned c = 0; c < 256; c++)
    for (size_t at = 0; at < 20; at++)
      {
        char text[27];
        struct hr_buf fast = { 0 }, slow = { 0 };
        memset (text, 'a', sizeof text);
        text[at] = (char) c;
        text[at + 7] = (char) (255 - c);
        json_buf_string (&fast, text, sizeof text);
        reference_escape (&slow, text, sizeof text);
        assert_int_equal (fast.len, slow.len);
        assert_memory_equal (fast.data, slow.data, slow.len);
        free (fast.data);
        free (slow.data);
      }
}

static void
test_unpaired_surrogate_refused (void **state)
{
  static const char *const bad[] = { "[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\ud800\\u0041\"]" };
  /* both scans: the one for config.json and the one that skips comments */
  for (unsigned flags = 0; flags <= JSON_PARSE_COMMENTS; flags += JSON_PARSE_COMMENTS)
    {
      for (size_t i = 0; i < 3; i++)
        {
          struct json *v = NULL;
          struct hr_error err = { 0 };
          assert_int_equal (json_parse (bad[i], strlen (bad[i]), flags, &v, &err), -1);
          assert_non_null (strstr (err.msg, "surrogate"));
        }
      /* an escaped backslash before u is not an escape */
      {
        const char *ok = "[\"\\\\ud800\", \"\\\\\\ud83d\\ude00\"]";
        struct json *v = NULL;
        struct hr_error err;
        assert_int_equal (json_parse (ok, strlen (ok), flags, &v, &err), 0);
        json_free (v);
      }
    }
}

static void
test_errors_name_the_line (void **state)
{
  const char *in = "{\n\"a\": 1,\n\"b\": ,\n}";
  struct json *v = NULL;
  struct hr_error err = { 0 };

  assert_int_equal (json_parse (in, strlen (in), 0, &v, &err), -1);
  assert_non_null (strstr (err.msg, "line 3"));
}

static void
test_depth_limit (void **state)
{
  size_t n = JSON_MAX_DEPTH + 10;
  char *in = malloc (2 * n + 1);
  struct json *v = NULL;
  struct hr_error err = { 0 };

  memset (in, '[', n);
  memset (in + n, ']', n);
  in[2 * n] = '\0';
  assert_int_equal (json_parse (in, 2 * n, 0, &v, &err), -1);
  assert_non_null (strstr (err.msg, "deeper"));
  free (in);
}

static void
test_comments_only_when_allowed (void **state)
{
  const char *in = "// c\n{\"a\": /* x */ 1}";
  struct json *v = NULL;
  struct hr_error err;

  assert_int_equal (json_parse (in, strlen (in), 0, &v, &err), -1);
  assert_int_equal (json_parse (in, strlen (in), JSON_PARSE_COMMENTS, &v, &err), 0);
  json_free (v);
}

static void
test_go_key_folding (void **state)
{
  assert_true (json_key_folds_to ("SECCOMP", 7, "seccomp"));
  assert_true (json_key_folds_to ("\xc5\xbf" "eccomp", 8, "seccomp"));       /* U+017F */
  assert_true (json_key_folds_to ("mas\xe2\x84\xaa" "edPaths", 13, "maskedPaths")); /* U+212A */
  assert_false (json_key_folds_to ("seccom", 6, "seccomp"));
  assert_false (json_key_folds_to ("seccompx", 8, "seccomp"));
  assert_false (json_key_folds_to ("s\xc3\xa9" "ccomp", 8, "seccomp"));
  assert_false (json_key_folds_to ("\xc5\xbf" "eccomp", 8, "process")); /* long s is only s */
}

static void
test_number_conversion (void **state)
{
  struct json *v = json_new_number_text ("18446744073709551615");
  uint64_t u;
  int64_t i;
  assert_int_equal (json_number_to_u64 (v, &u), 0);
  assert_true (u == UINT64_MAX);
  json_free (v);
  v = json_new_number_text ("18446744073709551616");
  assert_int_equal (json_number_to_u64 (v, &u), -1);
  json_free (v);
  v = json_new_number_text ("-5");
  assert_int_equal (json_number_to_i64 (v, &i), 0);
  assert_true (i == -5);
  assert_int_equal (json_number_to_u64 (v, &u), -1);
  json_free (v);
}

static void
test_array_has_string (void **state)
{
  struct json *v = NULL;
  struct hr_error err;
  const char text[] = "[\"bind\", 1, null, \"rbi\\u0000nd\", \"ro\"]";

  assert_int_equal (json_parse (text, strlen (text), 0, &v, &err), 0);
  assert_true (json_array_has_string (v, "bind"));
  assert_true (json_array_has_string (v, "ro"));
  assert_false (json_array_has_string (v, "rbi")); /* a string with a NUL is no C string */
  assert_false (json_array_has_string (v, "nosuid"));
  assert_false (json_array_has_string (NULL, "bind"));
  assert_false (json_array_has_string (v->arr.items[0], "bind")); /* not an array */
  json_free (v);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_numbers_survive),
    cmocka_unit_test (test_order_and_duplicates_survive),
    cmocka_unit_test (test_strings_survive_in_value),
    cmocka_unit_test (test_string_escapes_every_byte),
    cmocka_unit_test (test_unpaired_surrogate_refused),
    cmocka_unit_test (test_errors_name_the_line),
    cmocka_unit_test (test_depth_limit),
    cmocka_unit_test (test_comments_only_when_allowed),
    cmocka_unit_test (test_go_key_folding),
    cmocka_unit_test (test_number_conversion),
    cmocka_unit_test (test_array_has_string),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
