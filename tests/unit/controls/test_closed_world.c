/* The controls that close the world: fields, hooks, mount_types, rootfs,
 * cgroups, annotations. Host facts are given, as host/ would probe them. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/cleanup.h"
#include "control_fixture.h"
#include "controls/host_paths.h"

/* A path as host/ would have found it: resolved to `resolved` (NULL: it
 * does not exist). */
static void
fact (struct fixture *f, const char *path, const char *resolved)
{
  struct path_fact *p;
  f->host.paths = realloc (f->host.paths, (f->host.n_paths + 1) * sizeof *f->host.paths);
  p = &f->host.paths[f->host.n_paths++];
  memset (p, 0, sizeof *p);
  p->path = strdup (path);
  p->resolved = resolved ? strdup (resolved) : NULL;
  p->id.known = resolved != NULL;
}

static void
test_fields_unknown_refused (void **state)
{
  struct fixture *f = *state;

  load (f, "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"]},\"linux\":{\"timeOffsets\":{}}}");
  run (f, CONTROL_FIELDS, control_fields);
  assert_int_equal (count (f, DECISION_REFUSAL, "fields"), 1);
  assert_string_equal (f->decision.items[0].path, "linux.timeOffsets");
  load_fixture (f, "podman.json");
  run (f, CONTROL_FIELDS, control_fields);
  assert_int_equal (f->decision.len, 0);
}

static void
test_hooks (void **state)
{
  struct fixture *f = *state;
  const char *text = "{\"hooks\":{\"prestart\":[{\"path\":\"/proc/77/exe\",\"args\":[\"libnetwork-setkey\"]}],"
                     "\"createRuntime\":[{\"path\":\"/usr/local/bin/evil\"}],"
                     "\"poststop\":[{\"path\":\"gone\"}]}}";

  fact (f, "/proc/77/exe", "/usr/sbin/dockerd");
  fact (f, "/usr/local/bin/evil", "/usr/local/bin/evil");
  load (f, text);
  run (f, CONTROL_HOOKS, control_hooks);
  /* dockerd's own hook passes; another binary and a relative path do not */
  assert_int_equal (count (f, DECISION_REFUSAL, "hooks"), 2);
  assert_string_equal (f->decision.items[0].path, "hooks.createRuntime[0].path");
  assert_non_null (strstr (f->decision.items[0].allow, "hooks.allowed_paths"));
  assert_string_equal (f->decision.items[1].path, "hooks.poststop[0].path");
  /* a hook that does not resolve now is refused too */
  load (f, "{\"hooks\":{\"poststart\":[{\"path\":\"/proc/99/exe\"}]}}");
  run (f, CONTROL_HOOKS, control_hooks);
  assert_int_equal (count (f, DECISION_REFUSAL, "hooks"), 1);
}

static void
test_mount_types (void **state)
{
  struct fixture *f = *state;

  load_fixture (f, "docker.json");
  run (f, CONTROL_MOUNT_TYPES, control_mount_types);
  assert_int_equal (f->decision.len, 0);
  load_fixture (f, "ctr.json");
  run (f, CONTROL_MOUNT_TYPES, control_mount_types);
  assert_int_equal (f->decision.len, 0);
  load (f, "{\"mounts\":["
           "{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\",\"options\":[\"ro\",\"rw\"]},"
           "{\"destination\":\"/p\",\"type\":\"proc\",\"source\":\"proc\"},"
           "{\"destination\":\"/d\",\"type\":\"devtmpfs\",\"source\":\"devtmpfs\"},"
           "{\"destination\":\"/disk\",\"type\":\"ext4\",\"source\":\"/dev/vda1\"},"
           "{\"destination\":\"/o\",\"type\":\"overlay\",\"source\":\"overlay\",\"options\":[\"lowerdir=/etc\"]},"
           "{\"destination\":\"/t\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":[\"nosuid\"]},"
           "{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup2\",\"source\":\"cgroup\",\"options\":[\"rw\"]},"
           "{\"destination\":\"/ok\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":[\"nodev\",\"nosuid\"]},"
           "{\"destination\":\"/proc/../proc\",\"type\":\"proc\",\"source\":\"proc\"},"
           "{\"destination\":\"/b\",\"type\":\"ext4\",\"source\":\"/srv\",\"options\":[\"rbind\"]}]}");
  run (f, CONTROL_MOUNT_TYPES, control_mount_types);
  /* rw sysfs (the last of ro and rw wins), proc elsewhere, devtmpfs, a
   * disk, overlay, tmpfs without nodev and rw cgroup; not the bind */
  assert_int_equal (count (f, DECISION_REFUSAL, "mount_types"), 7);
  assert_string_equal (f->decision.items[0].path, "mounts[0]");
  assert_string_equal (f->decision.items[6].path, "mounts[6]");
  /* a remount changes the mount already there, a bind included */
  load (f, "{\"mounts\":[{\"destination\":\"/sys\",\"type\":\"tmpfs\",\"options\":[\"remount\",\"nosuid\",\"nodev\"]},"
           "{\"destination\":\"/b\",\"type\":\"bind\",\"source\":\"/srv\",\"options\":[\"bind\",\"remount\",\"rw\"]}]}");
  run (f, CONTROL_MOUNT_TYPES, control_mount_types);
  assert_int_equal (count (f, DECISION_REFUSAL, "mount_types"), 2);
  assert_true (message_has (f, "a remount of /sys"));
}

static void
test_rootfs (void **state)
{
  struct fixture *f = *state;

  f->host.bundle = "/run/b";
  fact (f, "rootfs", "/run/b/rootfs");
  load (f, "{\"root\":{\"path\":\"rootfs\"}}");
  run (f, CONTROL_ROOTFS, control_rootfs);
  assert_int_equal (f->decision.len, 0);
  /* a rootfs that is a link to the host's root */
  fact (f, "r2", "/");
  load (f, "{\"root\":{\"path\":\"r2\"}}");
  run (f, CONTROL_ROOTFS, control_rootfs);
  assert_int_equal (count (f, DECISION_REFUSAL, "rootfs"), 1);
  /* a host directory, and the bundle itself */
  load (f, "{\"root\":{\"path\":\"/etc\"}}");
  run (f, CONTROL_ROOTFS, control_rootfs);
  assert_int_equal (count (f, DECISION_REFUSAL, "rootfs"), 1);
  load (f, "{\"root\":{\"path\":\"..//b/\"}}");
  run (f, CONTROL_ROOTFS, control_rootfs);
  assert_int_equal (count (f, DECISION_REFUSAL, "rootfs"), 1);
  /* which the hint's key then allows */
  assert_non_null (strstr (f->decision.items[0].allow, "rootfs.allowed_paths+"));
  f->policy.rootfs_allowed.items = hr_xrealloc (f->policy.rootfs_allowed.items,
                                                (f->policy.rootfs_allowed.len + 1) * sizeof (char *));
  f->policy.rootfs_allowed.items[f->policy.rootfs_allowed.len++] = hr_xstrdup ("/run/b");
  load (f, "{\"root\":{\"path\":\"..//b/\"}}");
  run (f, CONTROL_ROOTFS, control_rootfs);
  assert_int_equal (count (f, DECISION_REFUSAL, "rootfs"), 0);
  /* an engine's layout */
  load (f, "{\"root\":{\"path\":\"/var/lib/docker/overlay2/abc/merged\"}}");
  run (f, CONTROL_ROOTFS, control_rootfs);
  assert_int_equal (f->decision.len, 0);
  f->host.bundle = NULL;
}

static void
test_cgroups (void **state)
{
  struct fixture *f = *state;

  load (f, "{\"linux\":{\"cgroupsPath\":\"/system.slice\"}}");
  f->host.cgroup.named = f->host.cgroup.known = f->host.cgroup.exists = true;
  f->host.cgroup.populated = true;
  f->host.cgroup.dir = strdup ("/system.slice");
  run (f, CONTROL_CGROUPS, control_cgroups);
  assert_int_equal (count (f, DECISION_REFUSAL, "cgroups"), 1);
  assert_true (message_has (f, "has processes in it"));
  f->host.cgroup.populated = false; /* an empty one, or a new one: the container's */
  load (f, "{\"linux\":{\"cgroupsPath\":\"/system.slice\"}}");
  run (f, CONTROL_CGROUPS, control_cgroups);
  assert_int_equal (f->decision.len, 0);
}

static void
test_annotations (void **state)
{
  struct fixture *f = *state;

  load (f, "{\"annotations\":{\"org.systemd.property.DeviceAllow\":\"'/dev/sda rwm'\","
           "\"io.kubernetes.cri.sandbox-name\":\"p\",\"org.criu.config\":\"/etc/evil\"}}");
  run (f, CONTROL_ANNOTATIONS, control_annotations);
  assert_int_equal (count (f, DECISION_REFUSAL, "annotations"), 2);
  assert_string_equal (f->decision.items[0].path, "annotations[\"org.systemd.property.DeviceAllow\"]");
}

static void
test_resources_and_user_fields (void **state)
{
  struct fixture *f = *state;

  load (f, "{\"process\":{\"oomScoreAdj\":-1000,\"user\":{\"uid\":1000}},"
           "\"linux\":{\"intelRdt\":{\"closID\":\"host\"},\"resources\":{\"pids\":{\"limit\":10},"
           "\"memory\":{\"limit\":1000000}},\"uidMappings\":[{\"containerID\":0,\"hostID\":0,\"size\":1}]}}");
  run (f, CONTROL_RESOURCES, control_resources);
  run (f, CONTROL_USER, control_user);
  /* resources audits in the default profile: both are findings */
  assert_int_equal (count (f, DECISION_FINDING, "resources"), 2);
  assert_true (message_has (f, "negative oomScoreAdj"));
  assert_true (message_has (f, "Intel RDT class of service"));
  assert_int_equal (count (f, DECISION_FINDING, "user"), 1);
  assert_true (message_has (f, "maps the host's root"));
}

/* A config's own filter is kept only if no weaker than hardrun's: one that
 * admits a 32-bit ABI hardrun's kills is replaced. */
/* Which host paths the default profile lets a bind show, by use. */
static void
test_host_path_uses (void **state)
{
  struct fixture *f = *state;
  static const struct
  {
    const char *path;
    bool read_only, is_dir, refused;
  } cases[] = {
    { "/var/lib/docker/volumes/pg/_data", false, true, false },
    { "/var/lib/docker/volumes/pg/_data/sub", false, true, false },
    { "/var/lib/docker/volumes/pg", false, true, true },
    { "/var/lib/containers/storage/volumes/v/_data", false, true, false },
    { "/usr/bin/tini-static", true, false, false },
    { "/usr/bin/tini-static", false, false, true },
    { "/usr/share/zoneinfo/Europe/Paris", true, false, false },
    { "/etc/localtime", true, false, false },
    { "/etc/passwd", true, false, true },
    { "/root/project", false, true, false },
    { "/root/project", false, false, true }, /* a file: not a user's directory */
    { "/root/.ssh", false, true, true },
    { "/root", false, true, true },
    { "/var/log/myapp", false, true, false },
    { "/var/log/journal", false, true, true },
    { "/var/log/journal/x", false, true, true },
    { "/var/log/pods/ns_pod", false, true, true },
    { "/var/log", false, true, true },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      const struct bind_use use = { cases[i].read_only, cases[i].is_dir };
      const char *matched = NULL;
      const char *why = host_path_refusal (&f->policy, cases[i].path, &use, &matched);
      if ((why != NULL) != cases[i].refused)
        fail_msg ("%s (ro %d, dir %d): %s", cases[i].path, cases[i].read_only, cases[i].is_dir,
                  why ? why : "allowed");
    }
  /* root.path: no allowance for binds */
  {
    const char *matched = NULL;
    assert_non_null (host_path_refusal (&f->policy, "/root/project", NULL, &matched));
  }
}

static void
test_seccomp_architectures (void **state)
{
  struct fixture *f = *state;
#define STRICT_FILTER(arches)                                                                     \
  "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[" arches "],"         \
  "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}}}"

  load (f, STRICT_FILTER ("\"SCMP_ARCH_X86_64\""));
  run (f, CONTROL_SECCOMP, control_seccomp);
  assert_int_equal (count (f, DECISION_CHANGE, "seccomp"), 0);
  load (f, STRICT_FILTER ("\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\""));
  run (f, CONTROL_SECCOMP, control_seccomp);
  assert_int_equal (count (f, DECISION_CHANGE, "seccomp"), 1);
  assert_true (message_has (f, "admits architecture SCMP_ARCH_X86"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_fields_unknown_refused, setup, teardown),
    cmocka_unit_test_setup_teardown (test_hooks, setup, teardown),
    cmocka_unit_test_setup_teardown (test_mount_types, setup, teardown),
    cmocka_unit_test_setup_teardown (test_rootfs, setup, teardown),
    cmocka_unit_test_setup_teardown (test_cgroups, setup, teardown),
    cmocka_unit_test_setup_teardown (test_annotations, setup, teardown),
    cmocka_unit_test_setup_teardown (test_resources_and_user_fields, setup, teardown),
    cmocka_unit_test_setup_teardown (test_host_path_uses, setup, teardown),
    cmocka_unit_test_setup_teardown (test_seccomp_architectures, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
