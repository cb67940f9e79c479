/* Profile validation: every name through libseccomp's resolver. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <seccomp.h>

#include "controls/seccomp_profile.h"
#include "policy/configuration.h"
#include "policy/policy.h"

static struct host_facts
x86_host (void)
{
  struct host_facts h = { .native_arch = SCMP_ARCH_X86_64,
                          .arches = { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32" },
                          .n_arches = 3 };
  return h;
}

static int
resolve_text (const char *profile, struct json **out, struct hr_error *err)
{
  struct json *p = NULL;
  struct string_list caps = { 0 };
  struct host_facts h = x86_host ();
  int r;
  assert_int_equal (json_parse (profile, strlen (profile), 0, &p, err), 0);
  r = seccomp_profile_resolve (p, &caps, &h, true, false, out, err);
  json_free (p);
  return r;
}

static void
test_builtin_profile_valid (void **state) /* every name resolves: launches rely on it (names_known) */
{
  struct policy p;
  struct hr_error err = { 0 };
  struct json *out = NULL;
  struct string_list caps = { 0 };
  struct host_facts h = x86_host ();

  struct hr_config none = { .default_profile = (char *) "default" };
  assert_int_equal (config_build_profile (&none, "default", true, &p, &err), 0);
  if (seccomp_profile_resolve (p.seccomp_profile, &caps, &h, false, false, &out, &err) < 0)
    fail_msg ("%s", err.msg);
  assert_true (json_object_get (out, "syscalls")->arr.len > 10);
  json_free (out);
  policy_release (&p);
}

static void
test_unknown_syscall_is_an_error (void **state)
{
  struct json *out = NULL;
  struct hr_error err = { 0 };
  assert_int_equal (resolve_text ("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":"
                                  "[{\"names\":[\"read\",\"raed\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
                                  &out, &err),
                    -1);
  assert_non_null (strstr (err.msg, "raed"));
  assert_null (out);
}

static void
test_bad_profiles (void **state)
{
  static const char *const bad[][2] = {
    { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[]}", "must deny" },
    { "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"ALLOW\"}]}", "action" },
    { "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
      "\"args\":[{\"index\":6,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}", "index" },
    { "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
      "\"includes\":{\"caps\":[\"CAP_NOPE\"]}}]}", "CAP_NOPE" },
    { "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
      "\"includes\":{\"arches\":[\"SCMP_ARCH_VAX\"]}}]}", "VAX" },
    { "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
      "\"typo\":1}]}", "typo" },
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      struct json *out = NULL;
      struct hr_error err = { 0 };
      assert_int_equal (resolve_text (bad[i][0], &out, &err), -1);
      if (strstr (err.msg, bad[i][1]) == NULL)
        fail_msg ("case %zu: \"%s\" lacks \"%s\"", i, err.msg, bad[i][1]);
    }
}

static void
test_arch_conditions (void **state)
{
  struct json *out = NULL;
  struct hr_error err = { 0 };
  assert_int_equal (resolve_text ("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
                                  "{\"names\":[\"arch_prctl\"],\"action\":\"SCMP_ACT_ALLOW\","
                                  "\"includes\":{\"arches\":[\"SCMP_ARCH_X86_64\"]}},"
                                  "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
                                  "\"includes\":{\"arches\":[\"SCMP_ARCH_AARCH64\"]}},"
                                  "{\"names\":[\"chown32\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
                                  &out, &err),
                    0);
  /* arch_prctl kept, read dropped; chown32 (32-bit only) is a known name */
  assert_int_equal (json_object_get (out, "syscalls")->arr.len, 2);
  json_free (out);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_builtin_profile_valid),
    cmocka_unit_test (test_unknown_syscall_is_an_error),
    cmocka_unit_test (test_bad_profiles),
    cmocka_unit_test (test_arch_conditions),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
