/* AppArmor and SELinux label choice through injected host facts, and MCS
 * category pair allocation in a state directory. */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "control_fixture.h"
#include "host/mcs.h"

/* ---------- AppArmor ---------- */

static void
apparmor_host (struct fixture *f, bool enabled, bool loaded)
{
  memset (&f->host.lsm, 0, sizeof f->host.lsm);
  f->host.lsm.apparmor_enabled = enabled;
  f->host.lsm.apparmor_profile_loaded = loaded;
}

static const char *
profile_of (struct fixture *f)
{
  return json_string (spec_get_path (f->spec.root, "process", "apparmorProfile", NULL));
}

static void
test_apparmor_set_where_loaded (void **state)
{
  struct fixture *f = *state;
  apparmor_host (f, true, true);
  load (f, "{\"process\":{}}");
  run (f, CONTROL_APPARMOR, control_apparmor);
  assert_string_equal (profile_of (f), "hardrun-default");
  assert_int_equal (decision_verdict (&f->decision), VERDICT_MODIFY);
}

static void
test_apparmor_keeps_named_refuses_unconfined (void **state)
{
  struct fixture *f = *state;
  apparmor_host (f, true, true);
  load (f, "{\"process\":{\"apparmorProfile\":\"docker-default\"}}");
  run (f, CONTROL_APPARMOR, control_apparmor);
  assert_string_equal (profile_of (f), "docker-default");
  assert_int_equal (f->decision.len, 0);

  load (f, "{\"process\":{\"apparmorProfile\":\"unconfined\"}}");
  run (f, CONTROL_APPARMOR, control_apparmor);
  assert_int_equal (count (f, DECISION_REFUSAL, "apparmor"), 1);
}

static void
test_apparmor_profile_not_loaded (void **state)
{
  struct fixture *f = *state;
  apparmor_host (f, true, false);
  load (f, "{\"process\":{}}");
  run (f, CONTROL_APPARMOR, control_apparmor);
  assert_int_equal (count (f, DECISION_REFUSAL, "apparmor"), 1);
  assert_true (message_has (f, "hardrun profiles install"));
  assert_null (profile_of (f));

  f->policy.apparmor_require_profile = false;
  load (f, "{\"process\":{}}");
  run (f, CONTROL_APPARMOR, control_apparmor);
  assert_int_equal (count (f, DECISION_FINDING, "apparmor"), 1);
  assert_int_equal (decision_verdict (&f->decision), VERDICT_ALLOW);
}

static void
test_apparmor_inactive (void **state)
{
  struct fixture *f = *state;
  apparmor_host (f, false, false);
  load (f, "{\"process\":{}}");
  run (f, CONTROL_APPARMOR, control_apparmor);
  assert_null (profile_of (f));
  assert_int_equal (count (f, DECISION_FINDING, "apparmor"), 1);
  /* a profile runc could not apply: refused with the reason, not runc's error */
  load (f, "{\"process\":{\"apparmorProfile\":\"docker-default\"}}");
  run (f, CONTROL_APPARMOR, control_apparmor);
  assert_int_equal (count (f, DECISION_REFUSAL, "apparmor"), 1);
  assert_true (message_has (f, "AppArmor is not active"));
}

/* ---------- SELinux ---------- */

static int fake_next;

static int
fake_allocate (struct mcs_allocator *a, char level[MCS_LEVEL_MAX], struct hr_error *err)
{
  snprintf (level, MCS_LEVEL_MAX, "s0:c%d,c%d", fake_next, fake_next + 1);
  fake_next += 2;
  return 0;
}

static void
selinux_host (struct fixture *f, bool enabled)
{
  memset (&f->host.lsm, 0, sizeof f->host.lsm);
  f->host.lsm.selinux_enabled = enabled;
  snprintf (f->host.lsm.selinux_process, sizeof f->host.lsm.selinux_process,
            "system_u:system_r:container_t:s0");
  snprintf (f->host.lsm.selinux_file, sizeof f->host.lsm.selinux_file,
            "system_u:object_r:container_file_t:s0");
  f->host.lsm.mcs.allocate = fake_allocate;
}

static void
test_selinux_labels_with_a_pair (void **state)
{
  struct fixture *f = *state;
  selinux_host (f, true);
  fake_next = 10;
  load (f, "{\"process\":{},\"linux\":{}}");
  run (f, CONTROL_SELINUX, control_selinux);
  assert_string_equal (json_string (spec_get_path (f->spec.root, "process", "selinuxLabel", NULL)),
                       "system_u:system_r:container_t:s0:c10,c11");
  assert_string_equal (json_string (spec_get_path (f->spec.root, "linux", "mountLabel", NULL)),
                       "system_u:object_r:container_file_t:s0:c10,c11");
}

static void
test_selinux_keeps_and_refuses (void **state)
{
  struct fixture *f = *state;
  selinux_host (f, true);
  load (f, "{\"process\":{\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\"},"
           "\"linux\":{\"mountLabel\":\"system_u:object_r:container_file_t:s0:c1,c2\"}}");
  run (f, CONTROL_SELINUX, control_selinux);
  assert_int_equal (f->decision.len, 0);
  assert_string_equal (json_string (spec_get_path (f->spec.root, "process", "selinuxLabel", NULL)),
                       "system_u:system_r:container_t:s0:c1,c2");

  load (f, "{\"process\":{\"selinuxLabel\":\"system_u:system_r:spc_t:s0\"}}");
  run (f, CONTROL_SELINUX, control_selinux);
  assert_true (message_has (f, "type spc_t"));
  load (f, "{\"process\":{\"selinuxLabel\":\"unconfined_u:unconfined_r:unconfined_t:s0:c1,c2\"}}");
  run (f, CONTROL_SELINUX, control_selinux);
  assert_true (message_has (f, "type unconfined_t"));
  load (f, "{\"process\":{\"selinuxLabel\":\"system_u:system_r:container_t:s0\"}}");
  run (f, CONTROL_SELINUX, control_selinux);
  assert_true (message_has (f, "no categories"));
  assert_int_equal (count (f, DECISION_REFUSAL, "selinux"), 1);
}

static void
test_selinux_disabled (void **state)
{
  struct fixture *f = *state;
  selinux_host (f, false);
  load (f, "{\"process\":{}}");
  run (f, CONTROL_SELINUX, control_selinux);
  assert_int_equal (f->decision.len, 0);
  assert_null (spec_get_path (f->spec.root, "process", "selinuxLabel", NULL));
  load (f, "{\"process\":{\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\"}}");
  run (f, CONTROL_SELINUX, control_selinux);
  assert_int_equal (count (f, DECISION_REFUSAL, "selinux"), 1);
}

static void
test_selinux_audit_takes_no_pair (void **state)
{
  struct fixture *f = *state;
  selinux_host (f, true);
  fake_next = 100;
  f->policy.mode = MODE_AUDIT;
  load (f, "{\"process\":{}}");
  run (f, CONTROL_SELINUX, control_selinux);
  assert_int_equal (fake_next, 100); /* the real allocator was not asked */
  f->policy.mode = MODE_ENFORCE;
}

/* ---------- MCS pairs ---------- */

static char state_dir[] = "/tmp/hardrun-mcs-XXXXXX";

static int
count_pairs (void)
{
  char path[256];
  DIR *d;
  struct dirent *de;
  int n = 0;
  snprintf (path, sizeof path, "%s/mcs", state_dir);
  d = opendir (path);
  while (d && (de = readdir (d)) != NULL)
    n += de->d_name[0] == 'c';
  if (d)
    closedir (d);
  return n;
}

static void
test_mcs_parallel_distinct (void **state)
{
  enum { N = 200 };
  int pipes[2];
  char levels[N][MCS_LEVEL_MAX];

  assert_int_equal (pipe (pipes), 0);
  for (int i = 0; i < N; i++)
    if (fork () == 0)
      {
        char id[32], level[MCS_LEVEL_MAX] = { 0 };
        struct hr_error err;
        struct mcs_state st = { state_dir, "/nonexistent-root", id, time (NULL) };
        snprintf (id, sizeof id, "c-%d", i);
        if (mcs_allocate (&st, level, &err) < 0)
          _exit (1);
        if (write (pipes[1], level, MCS_LEVEL_MAX) != MCS_LEVEL_MAX)
          _exit (1);
        _exit (0);
      }
  close (pipes[1]);
  for (int i = 0; i < N; i++)
    {
      int status;
      wait (&status);
      assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    }
  for (int i = 0; i < N; i++)
    assert_int_equal (read (pipes[0], levels[i], MCS_LEVEL_MAX), MCS_LEVEL_MAX);
  close (pipes[0]);
  for (int i = 0; i < N; i++)
    {
      unsigned x, y;
      assert_int_equal (sscanf (levels[i], "s0:c%u,c%u", &x, &y), 2);
      assert_true (x < y && y < 1024);
      for (int j = 0; j < i; j++)
        assert_string_not_equal (levels[i], levels[j]);
    }
  assert_int_equal (count_pairs (), N);
}

static void
test_mcs_release_and_reclaim (void **state)
{
  char level[MCS_LEVEL_MAX];
  struct hr_error err;
  char root[] = "/tmp/hardrun-mcs-root-XXXXXX";
  char path[512];
  int before;
  struct mcs_state live;
  struct mcs_state gone = { state_dir, "/nonexistent-root", "gone", time (NULL) };

  assert_non_null (mkdtemp (root));
  live = (struct mcs_state){ state_dir, root, "live", time (NULL) };
  /* a container runc knows (its state.json exists) */
  snprintf (path, sizeof path, "%s/live", root);
  assert_int_equal (mkdir (path, 0700), 0);
  snprintf (path, sizeof path, "%s/live/state.json", root);
  close (open (path, O_CREAT | O_WRONLY, 0600));

  before = count_pairs ();
  assert_int_equal (mcs_allocate (&live, level, &err), 0);
  assert_int_equal (mcs_allocate (&gone, level, &err), 0);
  assert_int_equal (count_pairs (), before + 2);

  /* a refused launch gives its pair back at once */
  assert_int_equal (mcs_release (&gone, &err), 1);
  assert_int_equal (count_pairs (), before + 1);

  /* within the grace period nothing is reclaimed... */
  assert_int_equal (mcs_reclaim (&live, &err), 0);
  /* ...after it, every pair whose container runc does not know is: the 200
   * above (a crash between allocation and create leaks nothing forever) */
  live.now += MCS_GRACE_SECONDS + 10;
  assert_int_equal (mcs_reclaim (&live, &err), before);
  assert_int_equal (count_pairs (), 1);

  /* after runc deletes the container, its pair goes too */
  unlink (path);
  snprintf (path, sizeof path, "%s/live", root);
  rmdir (path);
  assert_int_equal (mcs_reclaim (&live, &err), 1);
  assert_int_equal (count_pairs (), 0);
  rmdir (root);
}

static int
mcs_setup (void **state)
{
  return mkdtemp (state_dir) ? 0 : -1;
}

static int
mcs_teardown (void **state)
{
  char cmd[300];
  snprintf (cmd, sizeof cmd, "rm -rf %s", state_dir);
  return system (cmd) == 0 ? 0 : -1;
}

/* state_dir/mcs as a link: no pair is written through it. */
static void
test_mcs_symlink_refused (void **state)
{
  char dir[] = "/tmp/hardrun-mcs-link-XXXXXX", target[64], link[64], level[MCS_LEVEL_MAX];
  struct hr_error err = { 0 };
  struct mcs_state st;
  DIR *d;
  struct dirent *de;
  int entries = 0;

  (void) state;
  assert_non_null (mkdtemp (dir));
  snprintf (target, sizeof target, "%s/elsewhere", dir);
  snprintf (link, sizeof link, "%s/mcs", dir);
  assert_int_equal (mkdir (target, 0700), 0);
  assert_int_equal (symlink (target, link), 0);
  st = (struct mcs_state){ dir, "/nonexistent-root", "c1", time (NULL) };
  assert_int_equal (mcs_allocate (&st, level, &err), -1);
  assert_non_null (strstr (err.msg, "symlink"));
  d = opendir (target);
  while (d && (de = readdir (d)) != NULL)
    entries += de->d_name[0] != '.';
  if (d)
    closedir (d);
  assert_int_equal (entries, 0);
  unlink (link);
  rmdir (target);
  rmdir (dir);
}

int
main (void)
{
  const struct CMUnitTest lsm_tests[] = {
    cmocka_unit_test_setup_teardown (test_apparmor_set_where_loaded, setup, teardown),
    cmocka_unit_test_setup_teardown (test_apparmor_keeps_named_refuses_unconfined, setup, teardown),
    cmocka_unit_test_setup_teardown (test_apparmor_profile_not_loaded, setup, teardown),
    cmocka_unit_test_setup_teardown (test_apparmor_inactive, setup, teardown),
    cmocka_unit_test_setup_teardown (test_selinux_labels_with_a_pair, setup, teardown),
    cmocka_unit_test_setup_teardown (test_selinux_keeps_and_refuses, setup, teardown),
    cmocka_unit_test_setup_teardown (test_selinux_disabled, setup, teardown),
    cmocka_unit_test_setup_teardown (test_selinux_audit_takes_no_pair, setup, teardown),
  };
  const struct CMUnitTest mcs_tests[] = {
    cmocka_unit_test (test_mcs_parallel_distinct),
    cmocka_unit_test (test_mcs_release_and_reclaim),
    cmocka_unit_test (test_mcs_symlink_refused),
  };
  int failed = cmocka_run_group_tests_name ("lsm", lsm_tests, NULL, NULL);
  return failed + cmocka_run_group_tests_name ("mcs", mcs_tests, mcs_setup, mcs_teardown);
}
