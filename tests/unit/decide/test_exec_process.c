/* Hardened exec: process files cut to the container's own settings. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "json_fixture.h"

#include "control_fixture.h"
#include "decide/exec_process.h"

static char dir[] = "/tmp/hardrun-exec-XXXXXX";

static int
make_dir (void **state)
{
  return mkdtemp (dir) ? 0 : -1;
}

static int
remove_dir (void **state)
{
  char cmd[128];
  snprintf (cmd, sizeof cmd, "rm -rf %s", dir);
  return system (cmd) == 0 ? 0 : -1;
}

static void
write_file (const char *name, const char *text)
{
  char path[256];
  FILE *f;
  snprintf (path, sizeof path, "%s/%s", dir, name);
  f = fopen (path, "w");
  fputs (text, f);
  fclose (f);
}

static const char container_text[]
    = "{\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_KILL\"],\"effective\":[\"CAP_CHOWN\"]},"
      "\"noNewPrivileges\":true,\"apparmorProfile\":\"hardrun-default\"}";

static void
decide (struct outcome *out, const char *process_text, int *dfd)
{
  struct hr_error err = { 0 };
  struct hr_config none = { .default_profile = (char *) "default" };
  cleanup_json struct json *container = parse_json (container_text);

  write_file ("process.json", process_text);
  *dfd = open (dir, O_RDONLY | O_DIRECTORY);
  memset (out, 0, sizeof *out);
  assert_int_equal (config_build_profile (&none, "default", false, &out->policy, &err), 0);
  out->have_policy = true;
  if (exec_process_decide (container, *dfd, "process.json", out, &err) < 0)
    fail_msg ("%s", err.msg);
}

static void
test_exec_cut_to_container (void **state)
{
  struct outcome out;
  int dfd;
  cleanup_json struct json *result = NULL;
  struct hr_error err;

  decide (&out, "{\"args\":[\"sh\"],\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_NET_RAW\",\"CAP_KILL\"],"
                "\"effective\":[\"CAP_CHOWN\",\"CAP_KILL\"],\"ambient\":[\"CAP_KILL\"]},"
                "\"noNewPrivileges\":false,\"selinuxLabel\":\"x:y:spc_t:s0\",\"consoleSize\":{\"height\":18446744073709551615}}",
          &dfd);
  assert_int_equal (out.verdict, VERDICT_MODIFY);
  assert_int_equal (json_parse (out.new_text, out.new_len, 0, &result, &err), 0);
  assert_int_equal (spec_get_path (result, "capabilities", "bounding", NULL)->arr.len, 2);
  assert_int_equal (spec_get_path (result, "capabilities", "effective", NULL)->arr.len, 1);
  /* the container has no ambient set: the exec gets none */
  assert_int_equal (spec_get_path (result, "capabilities", "ambient", NULL)->arr.len, 0);
  assert_true (spec_get (result, "noNewPrivileges")->boolean);
  assert_string_equal (json_string (spec_get (result, "apparmorProfile")), "hardrun-default");
  /* the container has no SELinux label: the exec's goes */
  assert_null (spec_get (result, "selinuxLabel"));
  /* what hardrun does not judge stays, number text included */
  assert_non_null (strstr (out.new_text, "\"consoleSize\":{\"height\":18446744073709551615}"));
  outcome_release (&out);
  close (dfd);
}

static void
test_exec_privileged_refused (void **state)
{
  struct outcome out;
  int dfd;
  decide (&out, "{\"args\":[\"sh\"],\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_SYS_ADMIN\"]}}", &dfd);
  assert_int_equal (out.verdict, VERDICT_DENY);
  assert_string_equal (decision_first_refusal (&out.decision)->control, "privileged");
  outcome_release (&out);
  close (dfd);
}

static void
test_exec_already_within (void **state)
{
  struct outcome out;
  int dfd;
  decide (&out, "{\"args\":[\"sh\"],\"capabilities\":{\"bounding\":[\"CAP_CHOWN\"]},"
                "\"noNewPrivileges\":true,\"apparmorProfile\":\"hardrun-default\"}",
          &dfd);
  assert_int_equal (out.verdict, VERDICT_ALLOW);
  assert_null (out.new_text);
  outcome_release (&out);
  close (dfd);
}

/* ---------- records ---------- */

static void
test_exec_unknown_field_refused (void **state)
{
  struct outcome out;
  int dfd;

  decide (&out, "{\"args\":[\"sh\"],\"ioPriority\":{\"class\":\"IOPRIO_CLASS_RT\"}}", &dfd);
  assert_int_equal (out.verdict, VERDICT_DENY);
  assert_string_equal (decision_first_refusal (&out.decision)->path, "process.ioPriority");
  outcome_release (&out);
  close (dfd);
}

static void
test_exec_widens (void **state)
{
  struct json *own = NULL, *now = NULL;
  struct hr_error err;
  char *why;
  const char *container = "{\"capabilities\":{\"bounding\":[\"CAP_CHOWN\"]},\"noNewPrivileges\":true}";

  assert_int_equal (json_parse (container, strlen (container), 0, &own, &err), 0);
  assert_int_equal (json_parse (container, strlen (container), 0, &now, &err), 0);
  assert_null (exec_process_widens (own, now));
  json_free (now);
  now = NULL;
  assert_int_equal (json_parse ("{\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_SYS_ADMIN\"]},"
                                "\"noNewPrivileges\":true}", 82, 0, &now, &err), 0);
  why = exec_process_widens (own, now);
  assert_string_equal (why, "process.capabilities.bounding: CAP_SYS_ADMIN");
  free (why);
  json_free (now);
  now = NULL;
  assert_int_equal (json_parse ("{\"noNewPrivileges\":false}", 25, 0, &now, &err), 0);
  why = exec_process_widens (own, now);
  assert_string_equal (why, "process.noNewPrivileges: false");
  free (why);
  json_free (now);
  json_free (own);
}

/* The prefix an exec runs behind: the container's ruleset, without -R (it
 * is no pid 1) and without -s (it must still signal the workload). */
static void
test_exec_init_prefix (void **state)
{
  cleanup_json struct json *args
      = parse_json ("[\"/dev/.hardrun-init\", \"-r\", \"/\", \"-x\", \"/usr\", \"-s\", \"-R\", \"--\", \"sh\"]");
  cleanup_json struct json *want = parse_json ("[\"/dev/.hardrun-init\", \"-r\", \"/\", \"-x\", \"/usr\", \"--\"]");
  cleanup_json struct json *plain = parse_json ("[\"sh\", \"-s\", \"--\", \"x\"]");
  cleanup_json struct json *prefix = exec_init_prefix (args);

  (void) state;
  assert_non_null (prefix);
  assert_true (json_equal (prefix, want));
  assert_null (exec_init_prefix (plain)); /* not behind hardrun-init */
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_exec_cut_to_container),
    cmocka_unit_test (test_exec_privileged_refused),
    cmocka_unit_test (test_exec_already_within),
    cmocka_unit_test (test_exec_unknown_field_refused),
    cmocka_unit_test (test_exec_widens),
    cmocka_unit_test (test_exec_init_prefix),
  };
  return cmocka_run_group_tests (tests, make_dir, remove_dir);
}
