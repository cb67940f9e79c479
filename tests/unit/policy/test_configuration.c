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

#include "policy/configuration.h"
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
  assert_int_equal (config_load (&c, &err), -1);
  if (strstr (err.msg, needle1) == NULL || strstr (err.msg, needle2) == NULL)
    fail_msg ("\"%s\" lacks \"%s\" or \"%s\"", err.msg, needle1, needle2);
  config_release (&c);
}

static void
test_defaults_from_comments_file (void **state)
{
  struct hr_config c;
  struct policy p;
  struct hr_error err = { 0 };

  write_config ("// comment\n{ /* also */ \"mode\": \"audit\", \"decision_log\": \"/tmp/x.log\" }\n");
  if (config_load (&c, &err) < 0)
    fail_msg ("%s", err.msg);
  assert_int_equal (c.mode, MODE_AUDIT);
  assert_string_equal (c.decision_log, "/tmp/x.log");
  assert_non_null (c.runtime);
  assert_int_equal (c.runtime[0], '/');
  assert_int_equal (config_build_profile (&c, "default", false, &p, &err), 0);
  assert_string_equal (p.name, "default");
  assert_int_equal (p.cap_allow.len, 8);
  /* a global audit mode puts every profile in audit */
  assert_int_equal (p.mode, MODE_AUDIT);
  assert_int_equal (strlen (p.hash), 64);
  policy_release (&p);
  config_release (&c);
}

/* Whether any profile could refuse a command: the built-ins refuse
   checkpoint; a file profile can refuse anything. */
static void
test_command_never_denied (void **state)
{
  struct hr_config c;
  struct hr_error err = { 0 };

  (void) state;
  write_config ("{}");
  if (config_load (&c, &err) < 0)
    fail_msg ("%s", err.msg);
  assert_true (config_command_never_denied (&c, ENGINE_KILL));
  assert_true (config_command_never_denied (&c, ENGINE_PAUSE));
  assert_false (config_command_never_denied (&c, ENGINE_CHECKPOINT));
  config_release (&c);

  write_config ("{\"profiles\": {\"frozen\": {\"commands\": {\"pause\": \"deny\", \"kill\": \"allow\"}}}}");
  if (config_load (&c, &err) < 0)
    fail_msg ("%s", err.msg);
  assert_false (config_command_never_denied (&c, ENGINE_PAUSE));
  assert_true (config_command_never_denied (&c, ENGINE_KILL));
  assert_true (config_command_never_denied (&c, ENGINE_RESUME));
  config_release (&c);
}

static void
test_profile_override_and_inheritance (void **state)
{
  struct hr_config c;
  struct policy p;
  struct hr_error err = { 0 };

  write_config ("{\"profiles\": {"
                "\"default\": {\"controls\": {\"readonly_rootfs\": \"deny\"}},"
                "\"web\": {\"mode\": \"audit\", \"capabilities\": {\"allow\": [\"CAP_KILL\"]}},"
                "\"strict-web\": {\"base\": \"web\", \"controls\": {\"user\": \"deny\"}}}}");
  if (config_load (&c, &err) < 0)
    fail_msg ("%s", err.msg);

  assert_int_equal (config_build_profile (&c, "default", false, &p, &err), 0);
  assert_int_equal (p.actions[CONTROL_READONLY_ROOTFS], ACTION_DENY);
  assert_int_equal (p.actions[CONTROL_SECCOMP], ACTION_ENFORCE);
  assert_int_equal (p.masked.len, 12); /* untouched keys keep the built-in values */
  policy_release (&p);

  /* web inherits the operator's default */
  assert_int_equal (config_build_profile (&c, "web", false, &p, &err), 0);
  assert_int_equal (p.actions[CONTROL_READONLY_ROOTFS], ACTION_DENY);
  assert_int_equal (p.cap_allow.len, 1);
  assert_int_equal (p.mode, MODE_AUDIT);
  policy_release (&p);

  assert_int_equal (config_build_profile (&c, "strict-web", false, &p, &err), 0);
  assert_string_equal (p.name, "strict-web");
  assert_int_equal (p.actions[CONTROL_USER], ACTION_DENY);
  assert_int_equal (p.cap_allow.len, 1);
  policy_release (&p);

  /* restricted: only CAP_NET_BIND_SERVICE, root refused */
  assert_int_equal (config_build_profile (&c, "restricted", false, &p, &err), 0);
  assert_int_equal (p.cap_allow.len, 1);
  assert_string_equal (p.cap_allow.items[0], "CAP_NET_BIND_SERVICE");
  assert_int_equal (p.actions[CONTROL_USER], ACTION_DENY);
  assert_int_equal (p.actions[CONTROL_PRIVILEGED], ACTION_DENY);
  policy_release (&p);
  config_release (&c);
}

static struct workload
wl_with (const char *ns, const char *image, const char *requested)
{
  struct workload wl = { 0 };
  wl.fields[WL_NAMESPACE] = ns;
  wl.fields[WL_IMAGE] = image;
  wl.requested_profile = requested;
  return wl;
}

static void
test_selection_rules (void **state)
{
  struct hr_config c;
  struct selection sel;
  struct hr_error err = { 0 };
  struct workload wl;

  write_config ("{\"profiles\": {\"system\": {\"controls\": {\"privileged\": \"off\"}},"
                "\"writable\": {\"controls\": {\"readonly_rootfs\": \"off\"}}},"
                "\"selection\": ["
                "{\"name\": \"kube-system\", \"match\": {\"namespace\": \"kube-system\"}, \"profile\": \"system\"},"
                "{\"name\": \"legacy\", \"match\": {\"image\": \"registry.example/legacy/*\"},"
                " \"profile\": \"default\", \"allow_request\": [\"writable\"]},"
                "{\"name\": \"prod\", \"match\": {\"namespace\": \"prod-*\"}, \"profile\": \"restricted\"}]}");
  if (config_load (&c, &err) < 0)
    fail_msg ("%s", err.msg);

  wl = wl_with ("kube-system", NULL, NULL);
  assert_int_equal (config_select_profile (&c, &wl, &sel, &err), 0);
  assert_string_equal (sel.profile, "system");
  assert_string_equal (sel.rule, "kube-system");

  wl = wl_with ("prod-eu", "x", NULL);
  assert_int_equal (config_select_profile (&c, &wl, &sel, &err), 0);
  assert_string_equal (sel.profile, "restricted");

  wl = wl_with ("dev", NULL, NULL);
  assert_int_equal (config_select_profile (&c, &wl, &sel, &err), 0);
  assert_string_equal (sel.profile, "default");
  assert_string_equal (sel.rule, "default_profile");

  /* a workload may ask only for what its rule allows */
  wl = wl_with ("dev", "registry.example/legacy/app:1", "writable");
  assert_int_equal (config_select_profile (&c, &wl, &sel, &err), 0);
  assert_string_equal (sel.profile, "writable");
  assert_true (sel.requested);

  wl = wl_with ("prod-eu", NULL, "writable");
  assert_int_equal (config_select_profile (&c, &wl, &sel, &err), -1);
  assert_non_null (strstr (err.msg, "selection rule \"prod\""));
  assert_non_null (strstr (err.msg, "allow_request"));

  wl = wl_with ("dev", NULL, "system");
  assert_int_equal (config_select_profile (&c, &wl, &sel, &err), -1);
  assert_non_null (strstr (err.msg, "no selection rule"));

  /* asking for the profile a rule gives anyway is fine */
  wl = wl_with ("kube-system", NULL, "system");
  assert_int_equal (config_select_profile (&c, &wl, &sel, &err), 0);
  assert_false (sel.requested);
  config_release (&c);
}

static void
test_errors_name_file_line_key (void **state)
{
  load_fails ("{\n  \"mode\": \"enforce\",\n  \"mdoe\": 1\n}", ":3:", "\"mdoe\"");
  load_fails ("{\n\"mode\": \"sometimes\"}", ":2:", "\"mode\"");
  load_fails ("{\"runtime\": \"runc\"}", config_path, "\"runtime\"");
  load_fails ("{\n\"profiles\": {\"default\": {\n\"controls\": {\"seccomp\": \"maybe\"}}}}", ":3:",
              "profiles.default.controls.seccomp");
  load_fails ("{\"profiles\": {\"x\": {\"capabilities\": {\"allow\": [\"CAP_NOPE\"]}}}}", config_path,
              "profiles.x.capabilities.allow");
  load_fails ("{\"profiles\": {\"x\": {\"capabilities\": {\"allow\": [\"cap_kill\"]}}}}", config_path,
              "capabilities.allow");
  load_fails ("{\"profiles\": {\"x\": {\"host_namespaces\": {\"refuse\": [\"netw\"]}}}}", config_path,
              "profiles.x.host_namespaces.refuse");
  load_fails ("{\"profiles\": {\"x\": {\"base\": \"y\"}, \"y\": {\"base\": \"x\"}}}", config_path,
              "circular");
  load_fails ("{\"profiles\": {\"x\": {\"base\": \"nope\"}}}", "nope", "no profile");
  load_fails ("{\"selection\": [{\"match\": {\"namespace\": \"a\"}, \"profile\": \"nope\"}]}",
              "selection[0].profile", "no such profile");
  load_fails ("{\"selection\": [{\"match\": {\"colour\": \"a\"}, \"profile\": \"default\"}]}",
              "selection[0].match.colour", "unknown field");
  load_fails ("{\"selection\": [{\"match\": {}}]}", "selection[0]", "needs a \"profile\"");
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
  assert_int_equal (config_load (&c, &err), -1);
  assert_non_null (strstr (err.msg, "hardrun.json"));
  config_release (&c);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_defaults_from_comments_file),
    cmocka_unit_test (test_profile_override_and_inheritance),
    cmocka_unit_test (test_command_never_denied),
    cmocka_unit_test (test_selection_rules),
    cmocka_unit_test (test_errors_name_file_line_key),
    cmocka_unit_test (test_self_as_runtime_refused),
    cmocka_unit_test (test_explicit_missing_file_is_an_error),
  };
  return cmocka_run_group_tests (tests, setup, teardown);
}
