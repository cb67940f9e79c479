/* hardrun's configuration file: defaults, overrides, and errors that name
 * the file, the line and the key. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "configuration.h"
#include "helpers.h"

static char config_path[] = "/tmp/hardrun-config-XXXXXX";

static void
write_config (const char *text)
{
  FILE *f = fopen (config_path, "w");
  assert_non_null (f);
  fputs (text, f);
  fclose (f);
  setenv ("HARDRUN_CONFIG", config_path, 1);
}

static int
setup (void **state)
{
  int fd = mkstemp (config_path);
  if (fd < 0)
    return -1;
  close (fd);
  return 0;
}

static int
teardown (void **state)
{
  unlink (config_path);
  unsetenv ("HARDRUN_CONFIG");
  return 0;
}

static void
load_fails (const char *text, const char *needle1, const char *needle2)
{
  struct hr_config c;
  struct hr_error err = { 0 };
  write_config (text);
  assert_int_equal (config_load (true, &c, &err), -1);
  if (strstr (err.msg, needle1) == NULL || strstr (err.msg, needle2) == NULL)
    fail_msg ("\"%s\" lacks \"%s\" or \"%s\"", err.msg, needle1, needle2);
  config_release (&c);
}

static void
test_defaults_from_comments_file (void **state)
{
  struct hr_config c;
  struct hr_error err = { 0 };

  write_config ("// comment\n{ /* also */ \"mode\": \"audit\", \"decision_log\": \"/tmp/x.log\" }\n");
  if (config_load (true, &c, &err) < 0)
    fail_msg ("%s", err.msg);
  assert_int_equal (c.mode, MODE_AUDIT);
  assert_string_equal (c.decision_log, "/tmp/x.log");
  assert_string_equal (c.policy.name, "default");
  assert_int_equal (c.policy.cap_allow.len, 8);
  assert_non_null (c.runtime);
  assert_int_equal (c.runtime[0], '/');
  assert_int_equal (strlen (c.policy.hash), 64);
  config_release (&c);
}

static void
test_policy_override (void **state)
{
  struct hr_config c;
  struct hr_error err = { 0 };

  write_config ("{\"policy\": {\"name\": \"strict\", \"controls\": {\"readonly_rootfs\": \"deny\"},"
                "\"capabilities\": {\"allow\": [\"CAP_KILL\"]}}}");
  if (config_load (true, &c, &err) < 0)
    fail_msg ("%s", err.msg);
  assert_string_equal (c.policy.name, "strict");
  assert_int_equal (c.policy.actions[CONTROL_READONLY_ROOTFS], ACTION_DENY);
  assert_int_equal (c.policy.actions[CONTROL_SECCOMP], ACTION_ENFORCE);
  assert_int_equal (c.policy.cap_allow.len, 1);
  /* untouched keys keep the built-in values */
  assert_int_equal (c.policy.masked.len, 12);
  config_release (&c);
}

static void
test_errors_name_file_line_key (void **state)
{
  load_fails ("{\n  \"mode\": \"enforce\",\n  \"mdoe\": 1\n}", ":3:", "\"mdoe\"");
  load_fails ("{\n\"mode\": \"sometimes\"}", ":2:", "\"mode\"");
  load_fails ("{\"runtime\": \"runc\"}", config_path, "\"runtime\"");
  load_fails ("{\n\"policy\": {\n\"controls\": {\"seccomp\": \"maybe\"}}}", ":3:", "controls.seccomp");
  load_fails ("{\"policy\": {\"capabilities\": {\"allow\": [\"CAP_NOPE\"]}}}", config_path,
              "capabilities.allow");
  load_fails ("{\"policy\": {\"capabilities\": {\"allow\": [\"cap_kill\"]}}}", config_path,
              "capabilities.allow");
  load_fails ("{\"mode\": \"enforce\",", config_path, "invalid JSON");
  load_fails ("{\"runtime\": \"/nonexistent/runc\"}", config_path, "runtime");
}

static void
test_self_as_runtime_refused (void **state)
{
  char self[4096];
  ssize_t n = readlink ("/proc/self/exe", self, sizeof self - 1);
  char *text;
  assert_true (n > 0);
  self[n] = '\0';
  text = malloc (strlen (self) + 32);
  sprintf (text, "{\"runtime\": \"%s\"}", self);
  load_fails (text, "hardrun itself", "runtime");
  free (text);
}

static void
test_explicit_missing_file_is_an_error (void **state)
{
  struct hr_config c;
  struct hr_error err = { 0 };
  setenv ("HARDRUN_CONFIG", "/nonexistent/hardrun.json", 1);
  assert_int_equal (config_load (false, &c, &err), -1);
  assert_non_null (strstr (err.msg, "hardrun.json"));
  config_release (&c);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_defaults_from_comments_file),
    cmocka_unit_test (test_policy_override),
    cmocka_unit_test (test_errors_name_file_line_key),
    cmocka_unit_test (test_self_as_runtime_refused),
    cmocka_unit_test (test_explicit_missing_file_is_an_error),
  };
  return cmocka_run_group_tests (tests, setup, teardown);
}
