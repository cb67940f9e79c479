/* The store: merges under its lock, the operator's directory first, and
 * nothing it reads trusted. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/cleanup.h"
#include "learn/learned.h"
#include "learn/store.h"

struct dirs
{
  char root[64];
  char state[128];
  char operator[128];
};

static int
setup (void **state)
{
  struct dirs *d = calloc (1, sizeof *d);
  snprintf (d->root, sizeof d->root, "/tmp/hardrun-store.XXXXXX");
  if (mkdtemp (d->root) == NULL)
    return -1;
  snprintf (d->state, sizeof d->state, "%s/state", d->root);
  snprintf (d->operator, sizeof d->operator, "%s/operator", d->root);
  mkdir (d->state, 0700);
  mkdir (d->operator, 0700);
  *state = d;
  return 0;
}

static int
teardown (void **state)
{
  struct dirs *d = *state;
  char cmd[128];
  snprintf (cmd, sizeof cmd, "rm -rf %s", d->root);
  if (system (cmd) != 0)
    return -1;
  free (d);
  return 0;
}

static struct json *
delta (const char *syscall)
{
  struct json *doc = learned_new ("job", NULL);
  learned_note (doc, LEARNED_SYSCALLS, syscall, 2, "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z");
  return doc;
}

static void
test_merge_runs (void **state)
{
  struct dirs *d = *state;
  struct learned_store st = { d->state, d->operator };
  cleanup_json struct json *a = delta ("read");
  cleanup_json struct json *b = delta ("openat");
  cleanup_json struct json *got = NULL;
  enum learned_origin origin;
  struct hr_error err = { 0 };
  bool saw_new = false;

  assert_int_equal (learned_store_load (&st, "job", &got, &origin, &err), 1);
  assert_int_equal (learned_store_merge (&st, "job", NULL, a, false, 0, &saw_new, &err), 0);
  assert_true (saw_new);
  /* a flush that adds nothing new still ends a run that saw something */
  assert_int_equal (learned_store_merge (&st, "job", NULL, a, true, 1, &saw_new, &err), 0);
  saw_new = false;
  assert_int_equal (learned_store_merge (&st, "job", NULL, b, true, 1, &saw_new, &err), 0);
  assert_int_equal (learned_store_load (&st, "job", &got, &origin, &err), 0);
  assert_int_equal (origin, LEARNED_FROM_NODE);
  assert_int_equal (learned_int (got, "runs"), 2);
  assert_true (learned_has (got, LEARNED_SYSCALLS, "read"));
  assert_true (learned_has (got, LEARNED_SYSCALLS, "openat"));
  assert_false (learned_promoted (got));
  json_free (got);
  got = NULL;
  /* a run with nothing new: promoted after 1 */
  saw_new = false;
  assert_int_equal (learned_store_merge (&st, "job", NULL, b, true, 1, &saw_new, &err), 0);
  assert_int_equal (learned_store_load (&st, "job", &got, &origin, &err), 0);
  assert_true (learned_promoted (got));
}

static void
write_file (const char *path, const char *text)
{
  FILE *f = fopen (path, "w");
  assert_non_null (f);
  fputs (text, f);
  fclose (f);
}

static void
test_operator_first (void **state)
{
  struct dirs *d = *state;
  struct learned_store st = { d->state, d->operator };
  cleanup_json struct json *node = delta ("read");
  cleanup_json struct json *got = NULL;
  enum learned_origin origin;
  struct hr_error err = { 0 };
  char path[256];
  char **names = NULL;
  size_t n = 0;

  assert_int_equal (learned_store_put (&st, node, &err), 0);
  snprintf (path, sizeof path, "%s/job.json", d->operator);
  write_file (path, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"hardrun\": {\"hardrun_learned\": 1, \"name\": \"job\","
                    " \"key\": {}, \"state\": \"promoted\", \"runs\": 9, \"quiet_runs\": 3, \"syscalls\": {},"
                    " \"written\": {}, \"execs\": {}}}");
  assert_int_equal (learned_store_load (&st, "job", &got, &origin, &err), 0);
  assert_int_equal (origin, LEARNED_FROM_OPERATOR);
  assert_int_equal (learned_int (got, "runs"), 9);
  assert_int_equal (learned_store_names (&st, &names, &n, &err), 0);
  assert_int_equal (n, 1); /* one name, in both places */
  free (names[0]);
  free (names);
}

static void
test_refuses (void **state)
{
  struct dirs *d = *state;
  struct learned_store st = { d->state, NULL };
  cleanup_json struct json *got = NULL;
  enum learned_origin origin;
  struct hr_error err = { 0 };
  char path[256], target[256];

  mkdir (strcat (strcpy (path, d->state), "/learned"), 0700);
  /* a file that names another profile */
  snprintf (path, sizeof path, "%s/learned/other.json", d->state);
  write_file (path, "{\"hardrun_learned\": 1, \"name\": \"job\", \"key\": {}, \"state\": \"promoted\", \"runs\": 0,"
                    " \"quiet_runs\": 0, \"syscalls\": {}, \"written\": {}, \"execs\": {}}");
  assert_int_equal (learned_store_load (&st, "other", &got, &origin, &err), -1);
  assert_non_null (strstr (err.msg, "names itself"));
  /* a symlink planted in the node's store is not followed */
  snprintf (target, sizeof target, "%s/learned/other.json", d->state);
  snprintf (path, sizeof path, "%s/learned/link.json", d->state);
  assert_int_equal (symlink (target, path), 0);
  assert_int_equal (learned_store_load (&st, "link", &got, &origin, &err), -1);
  /* not JSON */
  snprintf (path, sizeof path, "%s/learned/junk.json", d->state);
  write_file (path, "{");
  assert_int_equal (learned_store_load (&st, "junk", &got, &origin, &err), -1);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_merge_runs, setup, teardown),
    cmocka_unit_test_setup_teardown (test_operator_first, setup, teardown),
    cmocka_unit_test_setup_teardown (test_refuses, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
