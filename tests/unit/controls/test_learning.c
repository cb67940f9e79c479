/* The learning and image controls, on host facts the tests make: the
 * learned store's answer and the engine's image. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/cleanup.h"
#include "control_fixture.h"
#include "learn/learned.h"
#include "learn/lookup.h"

#define AGENTS "/var/lib/hardrun/agents"
#define DIGEST "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const char config[] =
    "{\"ociVersion\": \"1.0.2\", \"process\": {\"noNewPrivileges\": true, \"args\": [\"sh\"], \"cwd\": \"/\"},"
    " \"root\": {\"path\": \"rootfs\"}, \"annotations\": {\"org.opencontainers.image.ref.name\": \"busybox:1\"},"
    " \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38,"
    " \"syscalls\": [{\"names\": [\"read\", \"write\", \"openat\", \"chmod\"], \"action\": \"SCMP_ACT_ALLOW\"}]}}}";

struct learning_case
{
  struct fixture *f;
  struct learned_match m;
};

static void
match_init (struct learning_case *c, struct json *profile, const char *listener)
{
  memset (&c->m, 0, sizeof c->m);
  c->m.agent_dir = strdup (AGENTS);
  c->m.listener = listener ? strdup (listener) : NULL;
  c->m.name[0] = strdup ("busybox-default-aaaa");
  c->m.name[1] = strdup ("busybox-default-bbbb");
  c->m.profile[1] = profile;
  c->f->host.learned = &c->m;
}

static const char *
action_of (const struct json *filter, const char *name)
{
  const struct json *rules = spec_get (filter, "syscalls");
  for (size_t r = 0; json_is (rules, JSON_ARRAY) && r < rules->arr.len; r++)
    if (json_array_has_string (spec_get (rules->arr.items[r], "names"), name))
      return json_string (spec_get (rules->arr.items[r], "action"));
  return "";
}

static const struct json *
seccomp (const struct fixture *f)
{
  return spec_get_path (f->spec.root, "linux", "seccomp", NULL);
}

static void
test_off_changes_nothing (void **state)
{
  struct learning_case c = { *state };

  load (c.f, config);
  match_init (&c, NULL, AGENTS "/c.sock");
  run (c.f, CONTROL_LEARNING, control_learning);
  assert_string_equal (action_of (seccomp (c.f), "openat"), "SCMP_ACT_ALLOW");
  assert_int_equal (c.f->decision.len, 0);
  learned_match_release (&c.m);
}

static void
test_record (void **state)
{
  struct learning_case c = { *state };

  c.f->policy.learning = LEARNING_RECORD;
  load (c.f, config);
  match_init (&c, NULL, AGENTS "/c.sock");
  run (c.f, CONTROL_LEARNING, control_learning);
  assert_string_equal (action_of (seccomp (c.f), "openat"), "SCMP_ACT_NOTIFY");
  assert_string_equal (json_string (spec_get (seccomp (c.f), "listenerPath")), AGENTS "/c.sock");
  assert_true (message_has (c.f, "recording the workload into busybox-default-bbbb"));
  learned_match_release (&c.m);
}

static void
test_enforce (void **state)
{
  struct learning_case c = { *state };
  struct json *doc = learned_new ("busybox-default-bbbb", NULL);

  learned_note (doc, LEARNED_SYSCALLS, "openat", 1, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
  learned_set_promoted (doc, true);
  c.f->policy.learning = LEARNING_ENFORCE;
  load (c.f, config);
  match_init (&c, doc, AGENTS "/c.sock");
  run (c.f, CONTROL_LEARNING, control_learning);
  assert_string_equal (action_of (seccomp (c.f), "openat"), "SCMP_ACT_ALLOW");
  assert_string_equal (action_of (seccomp (c.f), "chmod"), "SCMP_ACT_NOTIFY");
  assert_int_equal (count (c.f, DECISION_REFUSAL, "learning"), 0);
  learned_match_release (&c.m);
}

static void
test_refusals (void **state)
{
  struct learning_case c = { *state };
  struct json *recording = learned_new ("busybox-default-bbbb", NULL);

  /* enforce with nothing promoted */
  c.f->policy.learning = LEARNING_ENFORCE;
  load (c.f, config);
  match_init (&c, recording, AGENTS "/c.sock");
  run (c.f, CONTROL_LEARNING, control_learning);
  assert_int_equal (count (c.f, DECISION_REFUSAL, "learning"), 1);
  assert_true (message_has (c.f, "no promoted learned profile busybox-default-bbbb"));
  learned_match_release (&c.m);

  /* a config's own notify agent */
  c.f->policy.learning = LEARNING_RECORD;
  load (c.f, config);
  spec_set (spec_get_path (c.f->spec.root, "linux", "seccomp", NULL), "listenerPath",
            json_new_string ("/run/agent.sock"));
  match_init (&c, NULL, AGENTS "/c.sock");
  run (c.f, CONTROL_LEARNING, control_learning);
  assert_true (message_has (c.f, "a notify agent of its own"));
  learned_match_release (&c.m);

  /* a stored profile that cannot be read */
  load (c.f, config);
  match_init (&c, NULL, AGENTS "/c.sock");
  c.m.error = strdup ("learned profile x.json: not a learned profile");
  run (c.f, CONTROL_LEARNING, control_learning);
  assert_true (message_has (c.f, "not a learned profile"));
  learned_match_release (&c.m);
}

static void
test_image (void **state)
{
  struct fixture *f = *state;

  load (f, config);
  run (f, CONTROL_IMAGE, control_image);
  assert_int_equal (f->decision.len, 0); /* no image rules: nothing to judge */

  f->policy.image_require_digest = true;
  load (f, config);
  run (f, CONTROL_IMAGE, control_image);
  assert_true (message_has (f, "image busybox:1 is not pinned by digest"));

  /* Docker's image ID is a digest */
  load (f, config);
  f->host.engine_image_id = strdup (DIGEST);
  run (f, CONTROL_IMAGE, control_image);
  assert_int_equal (count (f, DECISION_REFUSAL, "image"), 0);

  f->policy.image_require_digest = false;
  string_list_release (&f->policy.images_allowed);
  f->policy.images_allowed.items = calloc (1, sizeof (char *));
  f->policy.images_allowed.items[0] = strdup ("registry.example/*");
  f->policy.images_allowed.len = 1;
  load (f, config);
  run (f, CONTROL_IMAGE, control_image);
  assert_true (message_has (f, "image busybox:1 is not in the profile's image.allowed"));
  load (f, config);
  f->policy.images_allowed.items[0][0] = '\0';
  strcpy (f->policy.images_allowed.items[0], "sha256:*");
  run (f, CONTROL_IMAGE, control_image);
  assert_int_equal (count (f, DECISION_REFUSAL, "image"), 0); /* matched by digest */
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_off_changes_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown (test_record, setup, teardown),
    cmocka_unit_test_setup_teardown (test_enforce, setup, teardown),
    cmocka_unit_test_setup_teardown (test_refusals, setup, teardown),
    cmocka_unit_test_setup_teardown (test_image, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
