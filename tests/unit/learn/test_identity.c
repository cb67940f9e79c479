/* Which learned profile a launch belongs to. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/cleanup.h"
#include "learn/identity.h"
#include "learn/lookup.h"

#define DIGEST "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void
test_digest (void **state)
{
  assert_string_equal (learned_image_digest ("docker.io/library/busybox@" DIGEST), DIGEST);
  assert_string_equal (learned_image_digest (DIGEST), DIGEST);
  assert_null (learned_image_digest ("docker.io/library/busybox:1.36"));
  assert_null (learned_image_digest ("busybox@sha256:0123"));
  assert_null (learned_image_digest ("busybox@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"));
  assert_null (learned_image_digest (NULL));
}

static void
test_workload_digest (void **state)
{
  struct json *ann = json_new_object ();

  assert_null (learned_workload_digest ("busybox:1", ann, NULL));
  assert_string_equal (learned_workload_digest ("busybox:1", ann, DIGEST), DIGEST);
  json_object_append (ann, "io.kubernetes.cri-o.ImageRef", json_new_string (DIGEST));
  assert_string_equal (learned_workload_digest ("busybox:1", ann, NULL), DIGEST);
  /* the engine's record wins over what a user may annotate */
  assert_null (learned_workload_digest ("busybox@" DIGEST, ann, "evil/miner:latest"));
  assert_string_equal (learned_workload_image ("registry.example/team/app", "evil/miner:latest"), "evil/miner:latest");
  assert_string_equal (learned_workload_image ("busybox:1", NULL), "busybox:1");
  json_free (ann);
}

static void
test_name (void **state)
{
  struct learned_identity id = { "docker.io/library/busybox:1.36", NULL, "web", "default", "SCMP_ARCH_X86_64",
                                 "runc version 1.1.5", true };
  struct learned_identity other = id;
  cleanup_free char *a = learned_key_name (&id);
  cleanup_free char *b = NULL;
  cleanup_free char *c = NULL;
  cleanup_free char *d = NULL;

  assert_int_equal (strncmp (a, "busybox-default-", 16), 0);
  other.no_new_privileges = false;
  b = learned_key_name (&other);
  assert_string_not_equal (a, b);
  /* with a digest, the tag does not matter: it is the same image */
  other = id;
  other.digest = DIGEST;
  c = learned_key_name (&other);
  other.image = "docker.io/library/busybox:latest";
  d = learned_key_name (&other);
  assert_string_not_equal (c + strlen (c) - 12, a + strlen (a) - 12);
  assert_string_equal (c + strlen (c) - 12, d + strlen (d) - 12);
}

static void
test_agent_socket (void **state)
{
  cleanup_free char *a = learned_agent_socket ("/var/lib/hardrun", "/run/runc", "c1");
  cleanup_free char *b = learned_agent_socket ("/var/lib/hardrun", "/run/other", "c1");
  char long_id[300];

  memset (long_id, 'x', sizeof long_id - 1);
  long_id[sizeof long_id - 1] = '\0';
  assert_string_not_equal (a, b);
  assert_int_equal (strncmp (a, "/var/lib/hardrun/agents/", 24), 0);
  {
    cleanup_free char *c = learned_agent_socket ("/var/lib/hardrun", "/run/runc", long_id);
    assert_true (strlen (c) < 108); /* sun_path */
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_digest),
    cmocka_unit_test (test_workload_digest),
    cmocka_unit_test (test_name),
    cmocka_unit_test (test_agent_socket),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
