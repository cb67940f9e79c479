/* Each control as a function of (spec, policy, host facts); no root needed. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "control_fixture.h"

static void
test_capabilities_cut_to_allowlist (void **state)
{
  struct fixture *f = *state;
  static const char *const sets[] = { "bounding", "effective", "permitted" };

  load_fixture (f, "docker.json");
  run (f, CONTROL_CAPABILITIES, control_capabilities);
  for (size_t s = 0; s < 3; s++)
    {
      struct json *set = spec_get_path (f->spec.root, "process", "capabilities", sets[s], NULL);
      assert_true (array_has (set, "CAP_CHOWN"));
      assert_false (array_has (set, "CAP_NET_RAW"));
      assert_false (array_has (set, "CAP_MKNOD"));
      assert_int_equal (set->arr.len, 8);
    }
  assert_int_equal (decision_verdict (&f->decision), VERDICT_MODIFY);
}

static void
test_capabilities_never_added (void **state)
{
  struct fixture *f = *state;
  load (f, "{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_KILL\"],\"effective\":[]}}}");
  run (f, CONTROL_CAPABILITIES, control_capabilities);
  assert_int_equal (spec_get_path (f->spec.root, "process", "capabilities", "bounding", NULL)->arr.len, 1);
  assert_int_equal (spec_get_path (f->spec.root, "process", "capabilities", "effective", NULL)->arr.len, 0);
  assert_null (spec_get_path (f->spec.root, "process", "capabilities", "ambient", NULL));
  assert_int_equal (f->decision.len, 0);
  assert_int_equal (decision_verdict (&f->decision), VERDICT_ALLOW);
}

static void
test_capabilities_lower_case_dropped (void **state)
{
  /* runc ignores names it does not know exactly; hardrun drops them */
  struct fixture *f = *state;
  load (f, "{\"process\":{\"capabilities\":{\"bounding\":[\"cap_sys_admin\",\"CAP_KILL\"]}}}");
  run (f, CONTROL_CAPABILITIES, control_capabilities);
  assert_false (array_has (spec_get_path (f->spec.root, "process", "capabilities", "bounding", NULL),
                           "cap_sys_admin"));
}

static void
test_audit_and_deny_actions (void **state)
{
  struct fixture *f = *state;
  const char *cfg = "{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_SYS_ADMIN\"]}}}";

  f->policy.actions[CONTROL_CAPABILITIES] = ACTION_AUDIT;
  load (f, cfg);
  run (f, CONTROL_CAPABILITIES, control_capabilities);
  assert_true (array_has (spec_get_path (f->spec.root, "process", "capabilities", "bounding", NULL),
                          "CAP_SYS_ADMIN"));
  assert_int_equal (f->decision.items[0].kind, DECISION_FINDING);
  assert_int_equal (decision_verdict (&f->decision), VERDICT_ALLOW);

  f->policy.actions[CONTROL_CAPABILITIES] = ACTION_DENY;
  load (f, cfg);
  run (f, CONTROL_CAPABILITIES, control_capabilities);
  assert_int_equal (decision_verdict (&f->decision), VERDICT_DENY);
  assert_non_null (strstr (decision_first_refusal (&f->decision)->message, "CAP_SYS_ADMIN"));
  assert_non_null (strstr (decision_first_refusal (&f->decision)->allow, "profiles.default.controls.capabilities"));
  f->policy.actions[CONTROL_CAPABILITIES] = ACTION_ENFORCE;
}

static void
test_no_new_privileges (void **state)
{
  struct fixture *f = *state;
  load (f, "{\"process\":{\"noNewPrivileges\":false}}");
  run (f, CONTROL_NO_NEW_PRIVILEGES, control_no_new_privileges);
  assert_true (spec_get_path (f->spec.root, "process", "noNewPrivileges", NULL)->boolean);
  load (f, "{\"process\":{}}");
  run (f, CONTROL_NO_NEW_PRIVILEGES, control_no_new_privileges);
  assert_true (spec_get_path (f->spec.root, "process", "noNewPrivileges", NULL)->boolean);
  load (f, "{\"process\":{\"noNewPrivileges\":true}}");
  run (f, CONTROL_NO_NEW_PRIVILEGES, control_no_new_privileges);
  assert_int_equal (f->decision.len, 0);
}

static const char *
mount_dest (const struct json *mounts, size_t i)
{
  return json_string (spec_get (mounts->arr.items[i], "destination"));
}

static bool
decision_says (const struct decision *d, const char *text)
{
  for (size_t i = 0; i < d->len; i++)
    if (d->items[i].message != NULL && strstr (d->items[i].message, text) != NULL)
      return true;
  return false;
}

static void
test_readonly_rootfs_and_tmpfs (void **state)
{
  struct fixture *f = *state;
  struct json *mounts;

  /* podman-style: /run/secrets mounted, /tmp already a mount */
  load (f, "{\"root\":{\"path\":\"rootfs\"},\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\"},"
           "{\"destination\":\"/tmp/\",\"type\":\"tmpfs\"},"
           "{\"destination\":\"/run/secrets\",\"type\":\"bind\",\"source\":\"/s\"}]}");
  run (f, CONTROL_READONLY_ROOTFS, control_readonly_rootfs);
  assert_true (spec_get_path (f->spec.root, "root", "readonly", NULL)->boolean);
  mounts = spec_get (f->spec.root, "mounts");
  assert_int_equal (mounts->arr.len, 8);
  assert_string_equal (mount_dest (mounts, 0), "/proc");
  assert_string_equal (mount_dest (mounts, 1), "/tmp/");
  /* /run goes before what is mounted below it, or it would hide it */
  assert_string_equal (mount_dest (mounts, 2), "/run");
  assert_string_equal (mount_dest (mounts, 3), "/run/secrets");
  assert_string_equal (mount_dest (mounts, 4), "/var/tmp");
  assert_string_equal (mount_dest (mounts, 5), "/var/cache");
  assert_string_equal (mount_dest (mounts, 6), "/var/log");
  assert_string_equal (mount_dest (mounts, 7), "/var/lib");
  {
    const struct json *opts = spec_get (mounts->arr.items[4], "options");
    assert_true (array_has (opts, "nosuid"));
    assert_true (array_has (opts, "nodev"));
    /* the image's content stays visible under the scratch mount */
    assert_true (array_has (opts, "tmpcopyup"));
    /* no memory limit: no size beyond the kernel's own */
    for (size_t i = 0; i < opts->arr.len; i++)
      assert_null (strstr (json_string (opts->arr.items[i]), "size="));
  }
}

/* Scratch as large as the memory limit; under a user namespace, none where
 * the image lacks the directory (runc could not make the mount point),
 * and no copy where the namespace does not map its owner. */
static void
test_scratch_sized_and_placed (void **state)
{
  struct fixture *f = *state;
  /* mapped: 100000..165535 */
  struct rootfs_dir dirs[] = {
    { (char *) "/tmp", 1, 100000, 100000, false },     /* the container's own: copied */
    { (char *) "/var/tmp", 0, 0, 0, false },           /* missing */
    { (char *) "/run", -1, 0, 0, false },              /* unknown */
    { (char *) "/var/cache", 1, 0, 0, true },          /* the host's, empty: no copy */
    { (char *) "/var/log", 1, 0, 0, false },           /* the host's, with content: none */
  };
  struct json *mounts;

  load (f, "{\"root\":{\"path\":\"rootfs\"},\"linux\":{\"resources\":{\"memory\":{\"limit\":268435456}},"
           "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"
           "\"gidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"
           "\"namespaces\":[{\"type\":\"user\"},{\"type\":\"mount\"}]}}");
  f->host.rootfs_dirs = dirs;
  f->host.n_rootfs_dirs = sizeof dirs / sizeof dirs[0];
  run (f, CONTROL_READONLY_ROOTFS, control_readonly_rootfs);
  f->host.rootfs_dirs = NULL;
  f->host.n_rootfs_dirs = 0;
  mounts = spec_get (f->spec.root, "mounts");
  /* /tmp, /run, /var/cache, and /var/lib (not probed) */
  assert_int_equal (mounts->arr.len, 4);
  assert_string_equal (mount_dest (mounts, 0), "/tmp");
  assert_string_equal (mount_dest (mounts, 1), "/run");
  assert_string_equal (mount_dest (mounts, 2), "/var/cache");
  assert_string_equal (mount_dest (mounts, 3), "/var/lib");
  assert_true (array_has (spec_get (mounts->arr.items[0], "options"), "size=268435456"));
  assert_true (array_has (spec_get (mounts->arr.items[0], "options"), "tmpcopyup"));
  assert_false (array_has (spec_get (mounts->arr.items[2], "options"), "tmpcopyup"));
  assert_true (decision_says (&f->decision, "no scratch space on /var/tmp"));
  assert_true (decision_says (&f->decision, "no tmpfs on /var/log"));
}

static void
test_masked_paths_added (void **state)
{
  struct fixture *f = *state;
  struct json *masked, *ro;

  load_fixture (f, "docker.json");
  run (f, CONTROL_MASKED_PATHS, control_masked_paths);
  masked = spec_get_path (f->spec.root, "linux", "maskedPaths", NULL);
  ro = spec_get_path (f->spec.root, "linux", "readonlyPaths", NULL);
  assert_true (array_has (masked, "/proc/interrupts"));
  assert_true (array_has (masked, "/sys/devices/virtual/powercap"));
  assert_true (array_has (masked, "/proc/kcore"));
  assert_int_equal (masked->arr.len, 12); /* Docker's 10 plus 2, none twice */
  assert_int_equal (ro->arr.len, 5);
  /* no linux section at all */
  load (f, "{}");
  run (f, CONTROL_MASKED_PATHS, control_masked_paths);
  assert_int_equal (spec_get_path (f->spec.root, "linux", "maskedPaths", NULL)->arr.len, 12);
}

static void
test_seccomp_installed (void **state)
{
  struct fixture *f = *state;
  struct json *sc;

  load_fixture (f, "ctr.json");
  run (f, CONTROL_CAPABILITIES, control_capabilities);
  run (f, CONTROL_SECCOMP, control_seccomp);
  sc = spec_get_path (f->spec.root, "linux", "seccomp", NULL);
  assert_string_equal (json_string (spec_get (sc, "defaultAction")), "SCMP_ACT_ERRNO");
  assert_string_equal (spec_get (sc, "defaultErrnoRet")->str.text, "38");
  /* the native architecture only: the 32-bit ABIs are refused */
  assert_int_equal (spec_get (sc, "architectures")->arr.len, 1);
  assert_string_equal (json_string (spec_get (sc, "architectures")->arr.items[0]), "SCMP_ARCH_X86_64");
  /* CAP_NET_RAW was dropped, so AF_PACKET is not allowed; CAP_SYS_ADMIN not
   * held, so no mount and clone only with the namespace mask */
  {
    struct json *rules = spec_get (sc, "syscalls");
    bool mount = false, af_packet = false, masked_clone = false, open_clone = false;
    for (size_t i = 0; i < rules->arr.len; i++)
      {
        struct json *names = spec_get (rules->arr.items[i], "names");
        struct json *args = spec_get (rules->arr.items[i], "args");
        if (array_has (names, "mount"))
          mount = true;
        if (array_has (names, "socket") && args && strcmp (spec_get (args->arr.items[0], "value")->str.text, "17") == 0)
          af_packet = true;
        if (array_has (names, "clone"))
          {
            if (args)
              masked_clone = true;
            else
              open_clone = true;
          }
      }
    assert_false (mount);
    assert_false (af_packet);
    assert_true (masked_clone);
    assert_false (open_clone);
  }
}

static void
test_seccomp_compat_arches_opt_in (void **state)
{
  struct fixture *f = *state;
  f->policy.seccomp_compat_arches = true;
  load (f, "{\"process\":{}}");
  run (f, CONTROL_SECCOMP, control_seccomp);
  assert_int_equal (spec_get_path (f->spec.root, "linux", "seccomp", "architectures", NULL)->arr.len, 3);
}

static void
test_seccomp_cap_conditional (void **state)
{
  struct fixture *f = *state;
  struct json *rules;
  bool open_clone = false, mount = false;

  /* a container that keeps CAP_SYS_ADMIN (capabilities control off) */
  load (f, "{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_SYS_ADMIN\"]}}}");
  run (f, CONTROL_SECCOMP, control_seccomp);
  rules = spec_get_path (f->spec.root, "linux", "seccomp", "syscalls", NULL);
  for (size_t i = 0; i < rules->arr.len; i++)
    {
      struct json *names = spec_get (rules->arr.items[i], "names");
      if (array_has (names, "clone") && spec_get (rules->arr.items[i], "args") == NULL)
        open_clone = true;
      if (array_has (names, "mount"))
        mount = true;
    }
  assert_true (open_clone);
  assert_true (mount);
}

static void
test_seccomp_allow_default_replaced (void **state)
{
  struct fixture *f = *state;
  load (f, "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":"
           "[{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ERRNO\"}]}}}");
  run (f, CONTROL_SECCOMP, control_seccomp);
  assert_string_equal (json_string (spec_get_path (f->spec.root, "linux", "seccomp", "defaultAction", NULL)),
                       "SCMP_ACT_ERRNO");
  assert_non_null (strstr (f->decision.items[0].message, "SCMP_ACT_ALLOW"));
}

static void
test_seccomp_tighter_filter_kept (void **state)
{
  struct fixture *f = *state;
  const char *cfg = "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\","
                    "\"architectures\":[\"SCMP_ARCH_X86_64\"],\"syscalls\":["
                    "{\"names\":[\"read\",\"write\",\"exit_group\"],\"action\":\"SCMP_ACT_ALLOW\"},"
                    "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":"
                    "[{\"index\":0,\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]},"
                    "{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ERRNO\"}]}}}";
  load (f, cfg);
  run (f, CONTROL_SECCOMP, control_seccomp);
  assert_string_equal (json_string (spec_get_path (f->spec.root, "linux", "seccomp", "defaultAction", NULL)),
                       "SCMP_ACT_KILL_PROCESS");
  assert_int_equal (decision_verdict (&f->decision), VERDICT_ALLOW);

  /* the same filter, but allowing personality with any argument: replaced */
  load (f, "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
           "{\"names\":[\"read\",\"personality\"],\"action\":\"SCMP_ACT_ALLOW\"}]}}}");
  run (f, CONTROL_SECCOMP, control_seccomp);
  assert_int_equal (decision_verdict (&f->decision), VERDICT_MODIFY);
  assert_non_null (strstr (f->decision.items[0].message, "personality"));
}

static void
test_seccomp_docker_profile_replaced (void **state)
{
  /* Docker's own profile allows what hardrun's denies (e.g. io_uring) */
  struct fixture *f = *state;
  load_fixture (f, "docker.json");
  run (f, CONTROL_SECCOMP, control_seccomp);
  assert_int_equal (decision_verdict (&f->decision), VERDICT_MODIFY);
}

static void
test_controls_run_all (void **state)
{
  struct fixture *f = *state;
  struct hr_error err;

  load_fixture (f, "podman.json");
  assert_int_equal (controls_run (f->spec.root, &f->policy, &f->host, &f->decision, &err), 0);
  assert_int_equal (decision_verdict (&f->decision), VERDICT_MODIFY);
  /* a second pass over the hardened config changes nothing */
  decision_release (&f->decision);
  assert_int_equal (controls_run (f->spec.root, &f->policy, &f->host, &f->decision, &err), 0);
  for (size_t i = 0; i < f->decision.len; i++)
    assert_int_not_equal (f->decision.items[i].kind, DECISION_CHANGE);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_capabilities_cut_to_allowlist, setup, teardown),
    cmocka_unit_test_setup_teardown (test_capabilities_never_added, setup, teardown),
    cmocka_unit_test_setup_teardown (test_capabilities_lower_case_dropped, setup, teardown),
    cmocka_unit_test_setup_teardown (test_audit_and_deny_actions, setup, teardown),
    cmocka_unit_test_setup_teardown (test_no_new_privileges, setup, teardown),
    cmocka_unit_test_setup_teardown (test_readonly_rootfs_and_tmpfs, setup, teardown),
    cmocka_unit_test_setup_teardown (test_scratch_sized_and_placed, setup, teardown),
    cmocka_unit_test_setup_teardown (test_masked_paths_added, setup, teardown),
    cmocka_unit_test_setup_teardown (test_seccomp_installed, setup, teardown),
    cmocka_unit_test_setup_teardown (test_seccomp_cap_conditional, setup, teardown),
    cmocka_unit_test_setup_teardown (test_seccomp_compat_arches_opt_in, setup, teardown),
    cmocka_unit_test_setup_teardown (test_seccomp_allow_default_replaced, setup, teardown),
    cmocka_unit_test_setup_teardown (test_seccomp_tighter_filter_kept, setup, teardown),
    cmocka_unit_test_setup_teardown (test_seccomp_docker_profile_replaced, setup, teardown),
    cmocka_unit_test_setup_teardown (test_controls_run_all, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
