/* The landlock control: the workload behind hardrun-init with the ruleset
 * its profile means, or a finding where the kernel has no Landlock. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "control_fixture.h"

static const char config[] =
    "{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"sh\", \"-c\", \"true\"], \"cwd\": \"/\"},"
    " \"root\": {\"path\": \"rootfs\", \"readonly\": true},"
    " \"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},"
    "  {\"destination\": \"/tmp\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"nosuid\"]},"
    "  {\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"/srv/v\", \"options\": [\"rbind\", \"rw\"]},"
    "  {\"destination\": \"/etc/hosts\", \"type\": \"bind\", \"source\": \"/srv/h\", \"options\": [\"rbind\", \"ro\"]}]}";

static const struct json *
args_of (const struct fixture *f)
{
  return spec_get_path (f->spec.root, "process", "args", NULL);
}

/* Whether FLAG PATH is in the args, before "--". */
static bool
has_rule (const struct json *args, const char *flag, const char *path)
{
  for (size_t i = 1; i + 1 < args->arr.len && strcmp (json_string (args->arr.items[i]), "--") != 0; i++)
    if (strcmp (json_string (args->arr.items[i]), flag) == 0 && strcmp (json_string (args->arr.items[i + 1]), path) == 0)
      return true;
  return false;
}

static void
run_landlock (struct fixture *f, int abi)
{
  f->policy.actions[CONTROL_LANDLOCK] = ACTION_ENFORCE;
  f->host.landlock_abi = abi;
  f->host.init_path = "/usr/libexec/hardrun/hardrun-init";
  run (f, CONTROL_LANDLOCK, control_landlock);
}

static void
test_default_ruleset (void **state)
{
  struct fixture *f = *state;
  const struct json *args;
  const struct json *mounts;
  const struct json *last;

  load (f, config);
  run_landlock (f, 7);
  args = args_of (f);
  assert_string_equal (json_string (args->arr.items[0]), "/.hardrun-init");
  assert_true (has_rule (args, "-r", "/"));
  assert_true (has_rule (args, "-x", "/usr"));
  assert_true (has_rule (args, "-w", "/tmp"));
  assert_true (has_rule (args, "-w", "/data"));
  assert_false (has_rule (args, "-w", "/proc"));      /* not a place to write */
  assert_false (has_rule (args, "-w", "/etc/hosts")); /* bound read-only */
  assert_false (has_rule (args, "-x", "/tmp"));       /* nothing runs from scratch */
  assert_true (json_array_has_string (args, "-R"));   /* no init of its own: it reaps */
  /* the workload's own argv follows, whole */
  assert_string_equal (json_string (args->arr.items[args->arr.len - 3]), "sh");
  assert_string_equal (json_string (args->arr.items[args->arr.len - 1]), "true");
  mounts = spec_get (f->spec.root, "mounts");
  last = mounts->arr.items[mounts->arr.len - 1];
  assert_string_equal (json_string (spec_get (last, "destination")), "/.hardrun-init");
  assert_true (json_array_has_string (spec_get (last, "options"), "ro"));
}

static void
test_profile_lists_and_engine_init (void **state)
{
  struct fixture *f = *state;
  const struct json *args;

  load (f, "{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"/sbin/docker-init\", \"--\", \"app\"], \"cwd\": \"/\"},"
           " \"root\": {\"path\": \"rootfs\"}}");
  string_list_release (&f->policy.landlock_read); /* the profile's own, empty: the default */
  f->policy.landlock_read.items = calloc (1, sizeof (char *));
  f->policy.landlock_read.items[0] = strdup ("/app");
  f->policy.landlock_read.len = 1;
  run_landlock (f, 3);
  args = args_of (f);
  assert_true (has_rule (args, "-r", "/app"));
  assert_false (has_rule (args, "-r", "/"));        /* the list replaces the default */
  assert_false (json_array_has_string (args, "-R")); /* docker-init reaps */
}

static void
test_no_landlock (void **state)
{
  struct fixture *f = *state;

  load (f, config);
  run_landlock (f, 1);
  assert_string_equal (json_string (args_of (f)->arr.items[0]), "sh");
  assert_true (message_has (f, "Landlock is not available (ABI 1)"));
  load (f, config);
  f->policy.landlock_abi_max = 1; /* what a profile may cap */
  run_landlock (f, 7);
  assert_string_equal (json_string (args_of (f)->arr.items[0]), "sh");
}

static void
test_once (void **state)
{
  struct fixture *f = *state;
  size_t n;

  load (f, config);
  run_landlock (f, 7);
  n = spec_get (f->spec.root, "mounts")->arr.len;
  decision_release (&f->decision);
  run_landlock (f, 7);
  assert_int_equal (spec_get (f->spec.root, "mounts")->arr.len, n);
  assert_true (message_has (f, "already behind hardrun-init"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_default_ruleset, setup, teardown),
    cmocka_unit_test_setup_teardown (test_profile_lists_and_engine_init, setup, teardown),
    cmocka_unit_test_setup_teardown (test_no_landlock, setup, teardown),
    cmocka_unit_test_setup_teardown (test_once, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
