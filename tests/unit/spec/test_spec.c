/* The spec layer reads config.json as runc's Go decoder does. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helpers.h"
#include "spec/spec.h"

static void
parse_ok (const char *in, struct spec *s)
{
  struct hr_error err = { 0 };
  int r = spec_parse (in, strlen (in), SPEC_CONFIG, s, &err);
  if (r < 0)
    print_error ("unexpected: %s\n", err.msg);
  assert_int_equal (r, 0);
}

static void
parse_fails (const char *in, const char *needle)
{
  struct spec s;
  struct hr_error err = { 0 };
  assert_int_equal (spec_parse (in, strlen (in), SPEC_CONFIG, &s, &err), -1);
  if (strstr (err.msg, needle) == NULL)
    print_error ("message \"%s\" lacks \"%s\"\n", err.msg, needle);
  assert_non_null (strstr (err.msg, needle));
}

static void
test_engine_fixtures_round_trip (void **state)
{
  static const char *const names[] = { "docker.json", "podman.json", "ctr.json", "cri-sandbox.json" };
  for (size_t i = 0; i < 4; i++)
    {
      size_t len = 0;
      char *raw = read_fixture (ENGINE_FIXTURES_DIR, names[i], &len);
      struct spec s;
      struct hr_error err;
      char *out = NULL;
      size_t out_len;
      struct json *a = NULL, *b = NULL;

      assert_non_null (raw);
      assert_int_equal (spec_parse (raw, len, SPEC_CONFIG, &s, &err), 0);
      assert_int_equal (s.collapsed_keys, 0);
      assert_int_equal (spec_serialize (&s, false, &out, &out_len, &err), 0);
      /* same values, same key order, same number text */
      assert_int_equal (json_parse (raw, len, 0, &a, &err), 0);
      assert_int_equal (json_parse (out, out_len, 0, &b, &err), 0);
      assert_true (json_equal (a, b));
      json_free (a);
      json_free (b);
      spec_release (&s);
      free (out);
      free (raw);
    }
}

static void
test_unknown_fields_and_numbers_byte_for_byte (void **state)
{
  const char *in = "{\"ociVersion\":\"1.0.2\",\"x-vendor\":{\"k\":[1,2.50,1e3]},"
                   "\"linux\":{\"resources\":{\"memory\":{\"limit\":18446744073709551615}},"
                   "\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
                   "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":18446744073709551615,"
                   "\"op\":\"SCMP_CMP_EQ\"}]}]}},\"zeta\":null}";
  struct spec s;
  struct hr_error err;
  char *out = NULL;

  parse_ok (in, &s);
  assert_int_equal (spec_serialize (&s, false, &out, NULL, &err), 0);
  assert_string_equal (in, out);
  free (out);
  spec_release (&s);
}

static void
test_last_duplicate_wins (void **state)
{
  struct spec s;
  struct json *p, *nnp;

  parse_ok ("{\"process\":{\"noNewPrivileges\":true,\"NoNewPrivileges\":false}}", &s);
  p = spec_get (s.root, "process");
  assert_int_equal (p->obj.len, 1);
  nnp = spec_get (p, "noNewPrivileges");
  assert_true (json_is (nnp, JSON_BOOL));
  assert_false (nnp->boolean);
  assert_int_equal (s.collapsed_keys, 1);
  spec_release (&s);
}

/* A map of thousands of keys: one repeated key anywhere is found (the last
   value wins, as in Go's map decoding); without one, nothing changes. */
static void
test_large_map_duplicates (void **state)
{
  for (int dup = 0; dup <= 1; dup++)
    {
      struct hr_buf b = { 0 };
      struct spec s;
      const struct json *a;

      hr_buf_puts (&b, "{\"annotations\":{");
      for (int i = 0; i < 5000; i++)
        hr_buf_printf (&b, "%s\"k%d\":\"v%d\"", i ? "," : "", i, i);
      if (dup)
        hr_buf_puts (&b, ",\"k4321\":\"again\"");
      hr_buf_puts (&b, "}}");
      parse_ok (b.data, &s);
      a = spec_get (s.root, "annotations");
      assert_int_equal (a->obj.len, 5000);
      assert_string_equal (json_string (json_object_get (a, "k4321")), dup ? "again" : "v4321");
      assert_string_equal (json_string (json_object_get (a, "k0")), "v0");
      spec_release (&s);
      free (b.data);
    }
}

static void
test_keys_fold_case (void **state)
{
  struct spec s;
  parse_ok ("{\"PROCESS\":{\"Capabilities\":{\"BOUNDING\":[\"CAP_SYS_ADMIN\"]}},"
            "\"linux\":{\"\xc5\xbf" "eccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\"}}}",
            &s);
  assert_non_null (spec_get_path (s.root, "process", "capabilities", "bounding", NULL));
  assert_string_equal (json_string (spec_get_path (s.root, "linux", "seccomp", "defaultAction", NULL)),
                       "SCMP_ACT_ALLOW");
  spec_release (&s);
}

static void
test_objects_merge (void **state)
{
  struct spec s;
  struct json *p;

  parse_ok ("{\"process\":{\"args\":[\"a\"],\"noNewPrivileges\":true},"
            "\"annotations\":{\"a\":\"1\",\"b\":\"2\"},"
            "\"process\":{\"cwd\":\"/\",\"noNewPrivileges\":null},"
            "\"annotations\":{\"b\":\"3\"}}",
            &s);
  p = spec_get (s.root, "process");
  assert_non_null (spec_get (p, "args"));
  assert_string_equal (json_string (spec_get (p, "cwd")), "/");
  /* null leaves a plain bool as it was */
  assert_true (spec_get (p, "noNewPrivileges")->boolean);
  assert_string_equal (json_string (json_object_get (spec_get (s.root, "annotations"), "a")), "1");
  assert_string_equal (json_string (json_object_get (spec_get (s.root, "annotations"), "b")), "3");
  spec_release (&s);
}

static void
test_null_resets_pointers (void **state)
{
  struct spec s;
  parse_ok ("{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\"},\"seccomp\":null}}", &s);
  assert_true (json_is (spec_get_path (s.root, "linux", "seccomp", NULL), JSON_NULL));
  spec_release (&s);
  parse_ok ("{\"process\":null,\"process\":{\"cwd\":\"/x\"}}", &s);
  assert_string_equal (json_string (spec_get_path (s.root, "process", "cwd", NULL)), "/x");
  spec_release (&s);
}

static void
test_wrong_types_refused (void **state)
{
  parse_fails ("{\"process\":{\"noNewPrivileges\":\"yes\"}}", "process.noNewPrivileges must be a boolean");
  parse_fails ("{\n\"process\":\n{\"capabilities\":{\"bounding\":\"CAP_SYS_ADMIN\"}}}", "line 3");
  parse_fails ("{\"linux\":{\"seccomp\":[]}}", "linux.seccomp must be an object");
  parse_fails ("[]", "must be a JSON object");
  parse_fails ("2", "not number"); /* found by fuzz_process: the message read a freed tree */
  /* found by fuzz_process: a duplicated key sent the object through the
   * merging reading, which did not check integers the other reading did */
  parse_fails ("{\"process\":{\"user\":{\"gid\":1.5},\"env\":[],\"env\":[]}}", "integer");
  parse_fails ("{\"process\":{\"user\":{\"gid\":1.5}}}", "integer");
  parse_fails ("{\"root\":{\"readonly\":1}}", "root.readonly");
}

static void
test_ambiguous_struct_arrays_refused (void **state)
{
  parse_fails ("{\"mounts\":[{\"destination\":\"/a\"}],\"mounts\":[{\"destination\":\"/b\"}]}",
               "given twice");
  /* an empty or null first array is no merge */
  struct spec s;
  parse_ok ("{\"mounts\":[],\"mounts\":[{\"destination\":\"/b\"}]}", &s);
  spec_release (&s);
}

static void
test_set_replaces_folded_key (void **state)
{
  struct spec s;
  struct hr_error err;
  char *out = NULL;

  parse_ok ("{\"Root\":{\"Readonly\":false,\"path\":\"rootfs\"}}", &s);
  spec_set (spec_get (s.root, "root"), "readonly", json_new_bool (true));
  assert_int_equal (spec_serialize (&s, false, &out, NULL, &err), 0);
  assert_string_equal (out, "{\"Root\":{\"Readonly\":true,\"path\":\"rootfs\"}}");
  free (out);
  spec_release (&s);
}

static void
test_atomic_write_keeps_mode (void **state)
{
  char dir[] = "/tmp/hardrun-spec-XXXXXX";
  struct hr_error err;
  struct stat st;
  int dfd;
  size_t len = 0;
  char *back;

  assert_non_null (mkdtemp (dir));
  dfd = open (dir, O_RDONLY | O_DIRECTORY);
  assert_true (dfd >= 0);
  assert_int_equal (spec_write_atomic (dfd, "config.json", "{}", 2, 0604, getuid (), getgid (), &err), 0);
  assert_int_equal (fstatat (dfd, "config.json", &st, 0), 0);
  assert_int_equal (st.st_mode & 07777, 0604);
  back = read_fixture (dir, "config.json", &len);
  assert_string_equal (back, "{}");
  free (back);
  /* a symlink in config.json's place is not followed */
  unlinkat (dfd, "config.json", 0);
  assert_int_equal (symlinkat ("/etc/hostname", dfd, "config.json"), 0);
  {
    struct spec s;
    assert_int_equal (spec_load (dfd, "config.json", SPEC_CONFIG, &s, &err), -1);
    spec_release (&s);
  }
  unlinkat (dfd, "config.json", 0);
  close (dfd);
  rmdir (dir);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_engine_fixtures_round_trip),
    cmocka_unit_test (test_unknown_fields_and_numbers_byte_for_byte),
    cmocka_unit_test (test_last_duplicate_wins),
    cmocka_unit_test (test_large_map_duplicates),
    cmocka_unit_test (test_keys_fold_case),
    cmocka_unit_test (test_objects_merge),
    cmocka_unit_test (test_null_resets_pointers),
    cmocka_unit_test (test_wrong_types_refused),
    cmocka_unit_test (test_ambiguous_struct_arrays_refused),
    cmocka_unit_test (test_set_replaces_folded_key),
    cmocka_unit_test (test_atomic_write_keeps_mode),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
