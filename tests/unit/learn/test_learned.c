/* The learned document: checked when read, merged across runs, promoted
 * after quiet runs; and what each learning mode does with it. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json_fixture.h"

#include "base/cleanup.h"
#include "learn/learned.h"

static int
check_text (const char *text, struct hr_error *err)
{
  cleanup_json struct json *v = parse_json (text);
  return learned_check (v, err);
}

static void
test_new_is_valid (void **state)
{
  cleanup_json struct json *doc = learned_new ("busybox-default-0123", NULL);
  struct hr_error err = { 0 };

  assert_int_equal (learned_check (doc, &err), 0);
  assert_false (learned_promoted (doc));
  assert_int_equal (learned_count (doc, LEARNED_SYSCALLS), 0);
}

static void
test_check_refuses (void **state)
{
  static const char *const bad[] = {
    "[]",
    "{\"hardrun_learned\": 2, \"name\": \"a\", \"key\": {}, \"state\": \"recording\", \"runs\": 0, \"quiet_runs\": 0, \"syscalls\": {}, \"written\": {}, \"execs\": {}}",
    "{\"hardrun_learned\": 1, \"name\": \"../x\", \"key\": {}, \"state\": \"recording\", \"runs\": 0, \"quiet_runs\": 0, \"syscalls\": {}, \"written\": {}, \"execs\": {}}",
    "{\"hardrun_learned\": 1, \"name\": \".hidden\", \"key\": {}, \"state\": \"recording\", \"runs\": 0, \"quiet_runs\": 0, \"syscalls\": {}, \"written\": {}, \"execs\": {}}",
    "{\"hardrun_learned\": 1, \"name\": \"a\", \"key\": {}, \"state\": \"enforcing\", \"runs\": 0, \"quiet_runs\": 0, \"syscalls\": {}, \"written\": {}, \"execs\": {}}",
    "{\"hardrun_learned\": 1, \"name\": \"a\", \"key\": {}, \"state\": \"recording\", \"runs\": -1, \"quiet_runs\": 0, \"syscalls\": {}, \"written\": {}, \"execs\": {}}",
    "{\"hardrun_learned\": 1, \"name\": \"a\", \"key\": {}, \"state\": \"recording\", \"runs\": 0, \"quiet_runs\": 0, \"syscalls\": {\"read\": {\"count\": 1}}, \"written\": {}, \"execs\": {}}",
    "{\"hardrun_learned\": 1, \"name\": \"a\", \"key\": {}, \"state\": \"recording\", \"runs\": 0, \"quiet_runs\": 0, \"syscalls\": [], \"written\": {}, \"execs\": {}}",
    "{\"hardrun_learned\": 1, \"name\": \"a\", \"key\": {}, \"state\": \"recording\", \"runs\": 0, \"quiet_runs\": 0, \"syscalls\": {}, \"written\": {}}",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      struct hr_error err = { 0 };
      if (check_text (bad[i], &err) == 0)
        fail_msg ("accepted: %s", bad[i]);
    }
}

static void
test_note_and_merge (void **state)
{
  cleanup_json struct json *a = learned_new ("a", NULL);
  cleanup_json struct json *b = learned_new ("a", NULL);
  const struct json *read;
  uint64_t n = 0;

  assert_true (learned_note (a, LEARNED_SYSCALLS, "read", 3, "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"));
  assert_false (learned_note (a, LEARNED_SYSCALLS, "read", 2, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"));
  learned_note (b, LEARNED_SYSCALLS, "read", 5, "2026-01-05T00:00:00Z", "2026-01-09T00:00:00Z");
  learned_note (b, LEARNED_EXECS, "/bin/sh", 1, "2026-01-05T00:00:00Z", "2026-01-05T00:00:00Z");
  assert_true (learned_merge (a, b));
  assert_false (learned_merge (a, b)); /* nothing new the second time */
  read = json_object_get (learned_section (a, LEARNED_SYSCALLS), "read");
  json_number_to_u64 (json_object_get (read, "count"), &n);
  assert_int_equal (n, 15);
  assert_string_equal (json_string (json_object_get (read, "first")), "2026-01-01T00:00:00Z");
  assert_string_equal (json_string (json_object_get (read, "last")), "2026-01-09T00:00:00Z");
  assert_true (learned_has (a, LEARNED_EXECS, "/bin/sh"));
}

/* what the reader would refuse is never noted: a workload cannot make its
 * own record unreadable */
static void
test_bounds (void **state)
{
  cleanup_json struct json *doc = learned_new ("a", NULL);
  char item[2100];
  struct hr_error err = { 0 };

  memset (item, 'x', sizeof item - 1);
  item[0] = '/';
  item[sizeof item - 1] = '\0';
  assert_false (learned_note (doc, LEARNED_WRITTEN, item, 1, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"));
  for (int i = 0; i < 3000; i++)
    {
      snprintf (item, sizeof item, "/tmp/f%d", i);
      learned_note (doc, LEARNED_WRITTEN, item, 1, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
    }
  assert_int_equal (learned_count (doc, LEARNED_WRITTEN), 2048);
  assert_int_equal (learned_check (doc, &err), 0);
  /* timestamps are timestamps */
  learned_note (doc, LEARNED_SYSCALLS, "read", 1, "\x1b[2J", "2026-01-01T00:00:00Z");
  assert_int_equal (learned_check (doc, &err), -1);
}

static void
test_promotion_after_quiet_runs (void **state)
{
  cleanup_json struct json *doc = learned_new ("a", NULL);

  learned_end_run (doc, true, 2);
  assert_false (learned_promoted (doc));
  learned_end_run (doc, false, 2);
  assert_false (learned_promoted (doc));
  learned_end_run (doc, true, 2); /* something new: count again */
  assert_int_equal (learned_int (doc, "quiet_runs"), 0);
  learned_end_run (doc, false, 2);
  learned_end_run (doc, false, 2);
  assert_true (learned_promoted (doc));
  assert_int_equal (learned_int (doc, "runs"), 5);

  learned_set_promoted (doc, false);
  for (int i = 0; i < 10; i++)
    learned_end_run (doc, false, 0); /* 0: by hand only */
  assert_false (learned_promoted (doc));
}

static void
test_effective_mode (void **state)
{
  cleanup_json struct json *recording = learned_new ("a", NULL);
  cleanup_json struct json *promoted = learned_new ("a", NULL);

  learned_set_promoted (promoted, true);
  assert_int_equal (learned_effective_mode (LEARNING_RECORD, NULL), LEARNING_RECORD);
  assert_int_equal (learned_effective_mode (LEARNING_RECORD, recording), LEARNING_RECORD);
  assert_int_equal (learned_effective_mode (LEARNING_RECORD, promoted), LEARNING_ENFORCE);
  assert_int_equal (learned_effective_mode (LEARNING_COMPLAIN, NULL), LEARNING_RECORD);
  assert_int_equal (learned_effective_mode (LEARNING_COMPLAIN, recording), LEARNING_COMPLAIN);
  assert_int_equal (learned_effective_mode (LEARNING_ENFORCE, recording), LEARNING_OFF);
  assert_int_equal (learned_effective_mode (LEARNING_ENFORCE, promoted), LEARNING_ENFORCE);
  assert_int_equal (learned_effective_mode (LEARNING_OFF, promoted), LEARNING_OFF);
}

static void
test_unwrap_export (void **state)
{
  cleanup_json struct json *v = parse_json ("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"hardrun\": {\"name\": \"x\"}}");
  cleanup_json struct json *plain = parse_json ("{\"name\": \"y\"}");

  assert_string_equal (learned_name (learned_unwrap (v)), "x");
  assert_ptr_equal (learned_unwrap (plain), plain);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_new_is_valid),
    cmocka_unit_test (test_check_refuses),
    cmocka_unit_test (test_note_and_merge),
    cmocka_unit_test (test_bounds),
    cmocka_unit_test (test_promotion_after_quiet_runs),
    cmocka_unit_test (test_effective_mode),
    cmocka_unit_test (test_unwrap_export),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
