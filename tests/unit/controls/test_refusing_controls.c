/* The refusing controls: privileged, host namespaces, host mounts, sysctls,
 * user, env secrets, resources. As functions of (spec, policy, host facts). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "control_fixture.h"

/* ---------- privileged ---------- */

static void
test_privileged_capabilities (void **state)
{
  struct fixture *f = *state;
  load (f, "{\"process\":{\"capabilities\":{\"effective\":[\"CAP_CHOWN\",\"CAP_SYS_ADMIN\"],"
           "\"bounding\":[\"CAP_SYS_ADMIN\",\"CAP_NET_ADMIN\"]}}}");
  run (f, CONTROL_PRIVILEGED, control_privileged);
  /* one refusal per capability, not per set */
  assert_int_equal (count (f, DECISION_REFUSAL, "privileged"), 2);
  assert_true (message_has (f, "CAP_SYS_ADMIN is a dangerous capability"));
  assert_non_null (strstr (decision_first_refusal (&f->decision)->allow,
                           "profiles.default.privileged.dangerous_capabilities"));
  /* the engines' defaults are not privileged */
  load (f, "{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_NET_RAW\",\"CAP_MKNOD\"]}}}");
  run (f, CONTROL_PRIVILEGED, control_privileged);
  assert_int_equal (f->decision.len, 0);
}

static void
test_privileged_devices (void **state)
{
  struct fixture *f = *state;
  load (f, "{\"linux\":{\"devices\":[{\"path\":\"/dev/null\",\"type\":\"c\",\"major\":1,\"minor\":3},"
           "{\"path\":\"/dev/nothing-special\",\"type\":\"b\",\"major\":8,\"minor\":0},"
           "{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":10,\"minor\":229}],"
           "\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
           "{\"allow\":true,\"type\":\"c\",\"major\":136,\"access\":\"rwm\"},"
           "{\"allow\":true,\"type\":\"c\",\"access\":\"m\"},"
           "{\"allow\":true,\"access\":\"rwm\"},"
           "{\"allow\":true,\"type\":\"b\",\"major\":8,\"minor\":0,\"access\":\"rw\"}]}}}");
  run (f, CONTROL_PRIVILEGED, control_privileged);
  /* /dev/sda by number (whatever its name), /dev/fuse; an allow-all rule and b 8:0 */
  assert_int_equal (count (f, DECISION_REFUSAL, "privileged"), 4);
  assert_true (message_has (f, "b 8:0"));
  assert_true (message_has (f, "allows a *:*"));
}

static void
test_privileged_engine_fixtures_pass (void **state)
{
  struct fixture *f = *state;
  static const char *const names[] = { "docker.json", "podman.json", "ctr.json", "cri-sandbox.json" };
  for (size_t i = 0; i < 4; i++)
    {
      size_t len = 0;
      char *raw = read_fixture (ENGINE_FIXTURES_DIR, names[i], &len);
      load (f, raw);
      free (raw);
      run (f, CONTROL_PRIVILEGED, control_privileged);
      run (f, CONTROL_HOST_MOUNTS, control_host_mounts);
      run (f, CONTROL_SYSCTLS, control_sysctls);
      assert_int_equal (decision_verdict (&f->decision), VERDICT_ALLOW);
    }
}

static void
test_privileged_emptied_masks (void **state)
{
  struct fixture *f = *state;
  load (f, "{\"linux\":{\"maskedPaths\":[]}}");
  run (f, CONTROL_PRIVILEGED, control_privileged);
  assert_int_equal (count (f, DECISION_REFUSAL, "privileged"), 1);
  /* absent is no request: the masked_paths control fills it in */
  load (f, "{\"linux\":{}}");
  run (f, CONTROL_PRIVILEGED, control_privileged);
  assert_int_equal (f->decision.len, 0);
}

/* ---------- host namespaces ---------- */

static void
test_missing_namespaces (void **state)
{
  struct fixture *f = *state;
  load (f, "{\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"pid\"}]}}");
  run (f, CONTROL_HOST_NAMESPACES, control_host_namespaces);
  /* network and ipc refused, uts and cgroup findings */
  assert_int_equal (count (f, DECISION_REFUSAL, "host_namespaces"), 2);
  assert_int_equal (count (f, DECISION_FINDING, "host_namespaces"), 2);
  assert_true (message_has (f, "no network namespace"));
}

static void
test_namespace_path_to_host (void **state)
{
  struct fixture *f = *state;
  const char *cfg = "{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},"
                    "{\"type\":\"mount\"},{\"type\":\"cgroup\"},"
                    "{\"type\":\"network\",\"path\":\"/run/netns/x\"}]}}";

  load (f, cfg);
  f->host.host_ns[HOST_NS_NETWORK] = (struct file_identity){ true, 3, 4026531840 };
  f->host.paths = calloc (1, sizeof *f->host.paths);
  f->host.paths[0].path = strdup ("/run/netns/x");
  f->host.paths[0].id = (struct file_identity){ true, 3, 4026531840 };
  f->host.n_paths = 1;
  run (f, CONTROL_HOST_NAMESPACES, control_host_namespaces);
  assert_int_equal (count (f, DECISION_REFUSAL, "host_namespaces"), 1);
  assert_true (message_has (f, "/run/netns/x is the host's"));

  /* another namespace by path: fine */
  load (f, cfg);
  f->host.paths[0].id.ino = 4026532000;
  run (f, CONTROL_HOST_NAMESPACES, control_host_namespaces);
  assert_int_equal (decision_verdict (&f->decision), VERDICT_ALLOW);

  /* a path that does not exist now may be the host's namespace by the time
   * runc opens it (/proc/<pid>/ns of a pid still to come): refused */
  load (f, cfg);
  f->host.paths[0].id.known = false;
  run (f, CONTROL_HOST_NAMESPACES, control_host_namespaces);
  assert_true (message_has (f, "cannot identify the network namespace"));
  assert_int_equal (count (f, DECISION_REFUSAL, "host_namespaces"), 1);
}

/* ---------- host mounts ---------- */

/* The host's mount namespace re-roots the host; the host's uts namespace
 * takes the hostname; a relative path cannot be told. */
static void
test_namespace_paths_every_type (void **state)
{
  struct fixture *f = *state;

  f->host.host_ns[HOST_NS_MOUNT] = (struct file_identity){ true, 3, 100 };
  f->host.host_ns[HOST_NS_UTS] = (struct file_identity){ true, 3, 101 };
  f->host.paths = calloc (2, sizeof *f->host.paths);
  f->host.paths[0].path = strdup ("/proc/1/ns/mnt");
  f->host.paths[0].id = (struct file_identity){ true, 3, 100 };
  f->host.paths[1].path = strdup ("/proc/1/ns/uts");
  f->host.paths[1].id = (struct file_identity){ true, 3, 101 };
  f->host.n_paths = 2;
  load (f, "{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"network\"},"
           "{\"type\":\"mount\",\"path\":\"/proc/1/ns/mnt\"},{\"type\":\"uts\",\"path\":\"/proc/1/ns/uts\"}]}}");
  run (f, CONTROL_HOST_NAMESPACES, control_host_namespaces);
  /* the mount namespace refused; the uts one only a finding, with no hostname */
  assert_int_equal (count (f, DECISION_REFUSAL, "host_namespaces"), 1);
  assert_true (message_has (f, "re-root the host"));
  load (f, "{\"hostname\":\"h\",\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},"
           "{\"type\":\"network\",\"path\":\"net\"},{\"type\":\"mount\"},"
           "{\"type\":\"uts\",\"path\":\"/proc/1/ns/uts\"}]}}");
  run (f, CONTROL_HOST_NAMESPACES, control_host_namespaces);
  assert_int_equal (count (f, DECISION_REFUSAL, "host_namespaces"), 2);
  assert_true (message_has (f, "set the host's hostname"));
  assert_true (message_has (f, "is relative"));
}

static void
test_host_mounts (void **state)
{
  struct fixture *f = *state;
  load (f, "{\"mounts\":["
           "{\"destination\":\"/var/run/docker.sock\",\"type\":\"bind\",\"source\":\"/srv/any/docker.sock\"},"
           "{\"destination\":\"/host\",\"type\":\"bind\",\"source\":\"/\",\"options\":[\"rbind\"]},"
           "{\"destination\":\"/e\",\"source\":\"/etc/./ssl/\",\"options\":[\"bind\",\"ro\"]},"
           "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/var/lib/docker/containers/abc/hosts\"},"
           "{\"destination\":\"/data\",\"type\":\"bind\",\"source\":\"/srv/data\",\"options\":[\"rbind\",\"rshared\"]},"
           "{\"destination\":\"/ok\",\"type\":\"bind\",\"source\":\"/srv/ok\"},"
           "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
           "{\"destination\":\"/esc\",\"type\":\"bind\",\"source\":\"/var/lib/docker/containers/abc/../../../../../etc\"}]}");
  run (f, CONTROL_HOST_MOUNTS, control_host_mounts);
  assert_true (message_has (f, "a container engine's socket"));
  assert_true (message_has (f, "bind mount of /: a host system path"));
  assert_true (message_has (f, "bind mount of /etc/ssl"));
  assert_true (message_has (f, "rshared propagation"));
  assert_true (message_has (f, "bind mount of /etc: a host system path"));
  assert_int_equal (count (f, DECISION_REFUSAL, "host_mounts"), 5);
}

static void
test_host_mounts_symlink (void **state)
{
  struct fixture *f = *state;
  load (f, "{\"mounts\":[{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/srv/link\"}]}");
  f->host.paths = calloc (1, sizeof *f->host.paths);
  f->host.paths[0].path = strdup ("/srv/link");
  f->host.paths[0].resolved = strdup ("/etc");
  f->host.n_paths = 1;
  run (f, CONTROL_HOST_MOUNTS, control_host_mounts);
  assert_int_equal (count (f, DECISION_REFUSAL, "host_mounts"), 1);
  assert_true (message_has (f, "bind mount of /etc"));
}

/* ---------- sysctls, user, env, resources ---------- */

static void
test_sysctls (void **state)
{
  struct fixture *f = *state;
  load (f, "{\"linux\":{\"sysctl\":{\"net.ipv4.ping_group_range\":\"0 0\",\"net.ipv4.ip_forward\":\"1\","
           "\"kernel.shm_rmid_forced\":\"1\"}}}");
  run (f, CONTROL_SYSCTLS, control_sysctls);
  assert_int_equal (count (f, DECISION_REFUSAL, "sysctls"), 1);
  assert_true (message_has (f, "net.ipv4.ip_forward"));
  assert_non_null (strstr (decision_first_refusal (&f->decision)->allow,
                           "adding \"net.ipv4.ip_forward\" to profiles.default.sysctls.allowed"));
}

static void
test_user_default_is_finding (void **state)
{
  struct fixture *f = *state;
  load (f, "{\"process\":{\"user\":{\"uid\":0,\"gid\":0}}}");
  run (f, CONTROL_USER, control_user);
  assert_int_equal (count (f, DECISION_FINDING, "user"), 1);
  load (f, "{\"process\":{\"user\":{\"gid\":0}}}"); /* absent uid is 0 */
  run (f, CONTROL_USER, control_user);
  assert_int_equal (count (f, DECISION_FINDING, "user"), 1);
  load (f, "{\"process\":{\"user\":{\"uid\":1000}}}");
  run (f, CONTROL_USER, control_user);
  assert_int_equal (f->decision.len, 0);
}

static void
test_user_restricted_is_refusal (void **state)
{
  struct fixture *f = *state;
  load (f, "{\"process\":{\"user\":{\"uid\":0}}}");
  run (f, CONTROL_USER, control_user);
  assert_int_equal (count (f, DECISION_REFUSAL, "user"), 1);
  assert_non_null (strstr (decision_first_refusal (&f->decision)->allow, "profiles.restricted.controls.user"));
}

static void
test_env_secrets_never_logged (void **state)
{
  struct fixture *f = *state;
  struct json *items;
  char *text = NULL;
  struct hr_error err;

  load (f, "{\"process\":{\"env\":[\"PATH=/bin\",\"DB_PASSWORD=hunter2\",\"github_token=x\","
           "\"SOME_KEY=abc\",\"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI\","
           "\"X=AKIAIOSFODNN7EXAMPLE\",\"Y=ghp_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ\","
           "\"Z=-----BEGIN RSA PRIVATE KEY-----\\nMIIE\",\"KEYBOARD=us\",\"NOTAKEY=AKIA\"]}}");
  run (f, CONTROL_ENV_SECRETS, control_env_secrets);
  assert_int_equal (count (f, DECISION_FINDING, "env_secrets"), 7);
  assert_true (message_has (f, "DB_PASSWORD"));
  assert_true (message_has (f, "an AWS access key id"));
  assert_true (message_has (f, "a GitHub token"));
  assert_true (message_has (f, "a PEM private key"));
  items = decision_items_json (&f->decision);
  assert_int_equal (json_write (items, 0, &text, NULL, &err), 0);
  assert_null (strstr (text, "hunter2"));
  assert_null (strstr (text, "AKIAIOSFODNN7EXAMPLE"));
  assert_null (strstr (text, "ghp_abc"));
  assert_null (strstr (text, "MIIE"));
  assert_null (strstr (text, "wJalr"));
  free (text);
  json_free (items);
}

static void
test_resources (void **state)
{
  struct fixture *f = *state;
  load (f, "{\"linux\":{\"resources\":{\"memory\":{\"limit\":0}}}}");
  run (f, CONTROL_RESOURCES, control_resources);
  assert_int_equal (count (f, DECISION_FINDING, "resources"), 2);
  load (f, "{\"linux\":{\"resources\":{\"pids\":{\"limit\":100},\"memory\":{\"limit\":1048576}}}}");
  run (f, CONTROL_RESOURCES, control_resources);
  assert_int_equal (f->decision.len, 0);
  /* enforce with a pids_limit sets it */
  f->policy.actions[CONTROL_RESOURCES] = ACTION_ENFORCE;
  f->policy.pids_limit = 512;
  load (f, "{\"linux\":{}}");
  run (f, CONTROL_RESOURCES, control_resources);
  assert_string_equal (spec_get_path (f->spec.root, "linux", "resources", "pids", "limit", NULL)->str.text, "512");
  assert_int_equal (count (f, DECISION_CHANGE, "resources"), 1);
}

static void
test_restricted_capabilities (void **state)
{
  struct fixture *f = *state;
  load (f, "{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_NET_BIND_SERVICE\"]}}}");
  run (f, CONTROL_CAPABILITIES, control_capabilities);
  assert_int_equal (spec_get_path (f->spec.root, "process", "capabilities", "bounding", NULL)->arr.len, 1);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_privileged_capabilities, setup, teardown),
    cmocka_unit_test_setup_teardown (test_privileged_devices, setup, teardown),
    cmocka_unit_test_setup_teardown (test_privileged_engine_fixtures_pass, setup, teardown),
    cmocka_unit_test_setup_teardown (test_privileged_emptied_masks, setup, teardown),
    cmocka_unit_test_setup_teardown (test_missing_namespaces, setup, teardown),
    cmocka_unit_test_setup_teardown (test_namespace_path_to_host, setup, teardown),
    cmocka_unit_test_setup_teardown (test_namespace_paths_every_type, setup, teardown),
    cmocka_unit_test_setup_teardown (test_host_mounts, setup, teardown),
    cmocka_unit_test_setup_teardown (test_host_mounts_symlink, setup, teardown),
    cmocka_unit_test_setup_teardown (test_sysctls, setup, teardown),
    cmocka_unit_test_setup_teardown (test_user_default_is_finding, setup, teardown),
    cmocka_unit_test_setup_teardown (test_user_restricted_is_refusal, setup_restricted, teardown),
    cmocka_unit_test_setup_teardown (test_env_secrets_never_logged, setup, teardown),
    cmocka_unit_test_setup_teardown (test_resources, setup, teardown),
    cmocka_unit_test_setup_teardown (test_restricted_capabilities, setup_restricted, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
