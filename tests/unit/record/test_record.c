/* The forensic record store under the state directory. */
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

#include "control_fixture.h"
#include "policy/configuration.h"
#include "record/decision_log.h"
#include "record/record.h"

static char dir[] = "/tmp/hardrun-record-XXXXXX";

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

static void
test_record_life (void **state)
{
  struct record_key k = { dir, "/run/runc", "c1" };
  struct record_key other_root = { dir, "/run/containerd/runc/k8s.io", "c1" };
  cleanup_json struct json *rec = NULL;
  struct hr_error err;
  char **dirs;
  size_t n;

  assert_int_equal (record_write (&k, "record.json", "{\"id\":\"c1\",\"created\":1000}", 26, &err), 0);
  assert_int_equal (record_write (&other_root, "record.json", "{\"id\":\"c1\",\"created\":1500}", 26, &err), 0);
  assert_int_equal (record_mark_deleted (&k, 1060, &err), 0);
  assert_int_equal (record_load (&k, &rec, &err), 0);
  assert_string_equal (json_object_get (rec, "lifetime_seconds")->str.text, "60");
  assert_string_equal (json_object_get (rec, "deleted")->str.text, "1060");
  /* the same id under two runc roots: two records */
  assert_int_equal (record_find (dir, "c1", &dirs, &n, &err), 0);
  assert_int_equal (n, 2);
  for (size_t i = 0; i < n; i++)
    free (dirs[i]);
  free (dirs);
  assert_int_equal (record_next_exec (&k), 1);
  /* ids that cannot name a directory are never used as one */
  {
    struct record_key bad = { dir, "/run/runc", "../../etc" };
    assert_null (record_dir (&bad));
    assert_int_equal (record_write (&bad, "record.json", "{}", 2, &err), -1);
  }
}

static void
test_record_prune_order (void **state)
{
  struct hr_error err;
  struct record_bounds keep2 = { 2, 0, 0 };
  struct record_bounds age = { 0, 1, 0 };
  char text[128];
  cleanup_json struct json *rec = NULL;

  /* c1 (deleted at 1060) and c1 under another root (alive) exist already */
  for (int i = 2; i <= 4; i++)
    {
      char id[8];
      struct record_key k = { dir, "/run/runc", id };
      snprintf (id, sizeof id, "c%d", i);
      snprintf (text, sizeof text, "{\"id\":\"%s\",\"created\":%d}", id, 2000 + i);
      assert_int_equal (record_write (&k, "record.json", text, strlen (text), &err), 0);
    }
  /* deleted first, then the oldest: c1 goes, then the other root's c1, c2 */
  assert_int_equal (record_prune (dir, &keep2, 3000, &err), 3);
  {
    struct record_key c3 = { dir, "/run/runc", "c3" };
    struct record_key c2 = { dir, "/run/runc", "c2" };
    assert_int_equal (record_load (&c3, &rec, &err), 0);
    json_free (rec);
    assert_int_equal (record_load (&c2, &rec, &err), -1);
  }
  /* age only ever removes deleted containers' records */
  {
    struct record_key c4 = { dir, "/run/runc", "c4" };
    assert_int_equal (record_mark_deleted (&c4, 3000, &err), 0);
    assert_int_equal (record_prune (dir, &age, 3000 + 86400 + 1, &err), 1);
    json_free (rec);
    assert_int_equal (record_load (&c4, &rec, &err), -1);
  }
}

/* Links planted in the state directory: no write goes through one, and
   pruning never empties a directory one points at. */
static void
test_state_dir_symlinks (void **state)
{
  char target[200], link[300], victim[320], state_dir[200], digest_dir[400];
  struct record_bounds keep1 = { 1, 0, 0 };
  struct hr_error err = { 0 };
  struct record_key k;
  char *rec_dir;
  struct stat st;

  (void) state;
  /* a directory an attacker wants emptied or written into */
  snprintf (target, sizeof target, "%s/elsewhere", dir);
  assert_int_equal (mkdir (target, 0700), 0);
  snprintf (victim, sizeof victim, "%s/victim", target);
  write_file ("elsewhere/victim", "precious");

  /* 1. state_dir/records is a link */
  snprintf (state_dir, sizeof state_dir, "%s/s1", dir);
  assert_int_equal (mkdir (state_dir, 0700), 0);
  snprintf (link, sizeof link, "%s/records", state_dir);
  assert_int_equal (symlink (target, link), 0);
  k = (struct record_key){ state_dir, "/run/runc", "c1" };
  assert_int_equal (record_write (&k, "record.json", "{}", 2, &err), -1);
  assert_non_null (strstr (err.msg, "symlink"));
  assert_int_equal (record_load (&k, &(struct json *){ NULL }, &err), -1);

  /* 2. a record directory is a link; pruning runs past the bound */
  snprintf (state_dir, sizeof state_dir, "%s/s2", dir);
  for (int i = 1; i <= 3; i++)
    {
      char id[8], text[64];
      snprintf (id, sizeof id, "c%d", i);
      snprintf (text, sizeof text, "{\"id\":\"%s\",\"created\":%d}", id, 1000 + i);
      k = (struct record_key){ state_dir, "/run/runc", id };
      assert_int_equal (record_write (&k, "record.json", text, strlen (text), &err), 0);
    }
  k = (struct record_key){ state_dir, "/run/runc", "evil" };
  rec_dir = record_dir (&k);
  assert_int_equal (symlink (target, rec_dir), 0);
  snprintf (digest_dir, sizeof digest_dir, "%s", rec_dir);
  free (rec_dir);
  assert_int_equal (record_write (&k, "record.json", "{}", 2, &err), -1);
  assert_int_equal (record_prune (state_dir, &keep1, 5000, &err), 2);
  assert_int_equal (stat (victim, &st), 0);
  assert_int_equal (lstat (digest_dir, &st), 0); /* the link is not a record: left alone */
  assert_true (S_ISLNK (st.st_mode));

  /* 3. the state directory itself is a link */
  snprintf (link, sizeof link, "%s/s3", dir);
  assert_int_equal (symlink (target, link), 0);
  k = (struct record_key){ link, "/run/runc", "c1" };
  assert_int_equal (record_write (&k, "record.json", "{}", 2, &err), -1);
  {
    char planted[340];
    snprintf (planted, sizeof planted, "%s/records", target);
    assert_int_equal (stat (planted, &st), -1);
  }
}

static void
read_text (const char *path, char *buf, size_t len)
{
  FILE *f = fopen (path, "r");
  size_t n;

  assert_non_null (f);
  n = fread (buf, 1, len - 1, f);
  fclose (f);
  buf[n] = '\0';
}

/* A launch killed in its write leaves part of a line: the next append
 * cuts it, so every line of the log is whole. */
static void
test_decision_log_torn_tail (void **state)
{
  char logdir[] = "/tmp/hardrun-log.XXXXXX", path[64], buf[256], cmd[96];
  struct hr_error err = { 0 };
  FILE *f;

  assert_non_null (mkdtemp (logdir));
  snprintf (path, sizeof path, "%s/decisions.log", logdir);
  f = fopen (path, "w");
  fputs ("{\"a\": 1}\n{\"torn\": tr", f);
  fclose (f);
  assert_int_equal (decision_log_append (path, "{\"b\": 2}", false, &err), 0);
  assert_int_equal (decision_log_append (path, "{\"c\": 3}", false, &err), 0);
  read_text (path, buf, sizeof buf);
  assert_string_equal (buf, "{\"a\": 1}\n{\"b\": 2}\n{\"c\": 3}\n");
  /* a file that is one torn line */
  f = fopen (path, "w");
  fputs ("{\"torn", f);
  fclose (f);
  assert_int_equal (decision_log_append (path, "{}", false, &err), 0);
  read_text (path, buf, sizeof buf);
  assert_string_equal (buf, "{}\n");
  snprintf (cmd, sizeof cmd, "rm -rf %s", logdir);
  assert_int_equal (system (cmd), 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_record_life),
    cmocka_unit_test (test_record_prune_order),
    cmocka_unit_test (test_state_dir_symlinks),
    cmocka_unit_test (test_decision_log_torn_tail),
  };
  return cmocka_run_group_tests (tests, make_dir, remove_dir);
}
