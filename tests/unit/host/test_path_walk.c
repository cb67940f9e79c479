/* Paths resolved as the kernel will resolve them when runc opens them, in a
 * scratch tree: the answer must not depend on what was walked before. */
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

#include "host/path_walk.h"

static char top[64];

static int
make_tree (void **state)
{
  char p[128];
  (void) state;
  strcpy (top, "/tmp/hardrun-walk.XXXXXX");
  if (mkdtemp (top) == NULL)
    return -1;
  snprintf (p, sizeof p, "%s/real", top);
  mkdir (p, 0755);
  snprintf (p, sizeof p, "%s/real/sub", top);
  mkdir (p, 0755);
  snprintf (p, sizeof p, "%s/real/sub/file", top);
  fclose (fopen (p, "w"));
  snprintf (p, sizeof p, "%s/link", top);
  if (symlink ("real/sub", p) < 0)
    return -1;
  snprintf (p, sizeof p, "%s/abs", top);
  if (symlink ("/", p) < 0)
    return -1;
  snprintf (p, sizeof p, "%s/dangling", top);
  return symlink ("nowhere/x", p);
}

static int
remove_tree (void **state)
{
  char cmd[128];
  (void) state;
  snprintf (cmd, sizeof cmd, "rm -rf %s", top);
  return system (cmd);
}

/* `rel` below top resolves to `want` below top ("/" alone: the root). */
static void
expect (struct path_walk *w, const char *from, const char *rel, const char *want, bool exists)
{
  char path[256], full[256];
  struct file_identity id;
  char *got;

  if (from != NULL)
    snprintf (path, sizeof path, "%s", rel);
  else
    snprintf (path, sizeof path, "%s/%s", top, rel);
  if (strcmp (want, "/") == 0)
    snprintf (full, sizeof full, "/");
  else if (want[0] == '\0')
    snprintf (full, sizeof full, "%s", top);
  else
    snprintf (full, sizeof full, "%s/%s", top, want);
  got = path_walk_resolve (w, from, path, &id);
  assert_non_null (got);
  assert_string_equal (got, full);
  assert_int_equal (id.known, exists);
  if (exists)
    {
      struct stat st;
      assert_int_equal (stat (full, &st), 0);
      assert_true (st.st_ino == id.ino && st.st_dev == id.dev);
    }
  free (got);
}

static void
check_all (struct path_walk *w)
{
  expect (w, NULL, "real/sub/file", "real/sub/file", true);
  expect (w, NULL, "link/file", "real/sub/file", true);
  /* a missing end behind a symlink still shows where it lies */
  expect (w, NULL, "link/new/deeper", "real/sub/new/deeper", false);
  /* ".." after a symlink leaves where the symlink leads */
  expect (w, NULL, "link/../sub/file", "real/sub/file", true);
  /* past a missing component, ".." is lexical */
  expect (w, NULL, "gone/../real", "real", false);
  expect (w, NULL, "dangling", "dangling", false);
  expect (w, NULL, "real/sub/file/x", "real/sub/file/x", false);
  expect (w, NULL, "real/sub/", "real/sub", true);
}

static void
test_resolves_as_the_kernel (void **state)
{
  struct path_walk w = { 0 };
  struct file_identity id;
  char path[128], *got;
  (void) state;

  check_all (&w);
  /* the same answers again, now from what the walk remembers */
  check_all (&w);
  snprintf (path, sizeof path, "%s/abs/etc", top);
  got = path_walk_resolve (&w, NULL, path, &id);
  assert_string_equal (got, "/etc");
  free (got);
  path_walk_release (&w);
}

static void
test_relative_starts_in_from (void **state)
{
  struct path_walk w = { 0 };
  char from[96];
  (void) state;

  snprintf (from, sizeof from, "%s/real", top);
  expect (&w, from, "sub/file", "real/sub/file", true);
  expect (&w, from, "../link/file", "real/sub/file", true);
  expect (&w, from, "..", "", true);
  expect (&w, from, "missing/x", "real/missing/x", false);
  path_walk_release (&w);
}

/* A directory remembered as missing stays so for what lies below it, and a
 * remembered directory is not mistaken for a sibling sharing its prefix. */
static void
test_remembered_directories (void **state)
{
  struct path_walk w = { 0 };
  (void) state;

  expect (&w, NULL, "gone/a/b", "gone/a/b", false);
  expect (&w, NULL, "gone/a/c/d", "gone/a/c/d", false);
  expect (&w, NULL, "real/sub/file", "real/sub/file", true);
  expect (&w, NULL, "real/subx", "real/subx", false);
  expect (&w, NULL, "real/sub/../sub/file", "real/sub/file", true);
  for (int i = 0; i < 3 * PATH_WALK_DIRS; i++)
    {
      char rel[64];
      snprintf (rel, sizeof rel, "gone%d/x/y", i);
      expect (&w, NULL, rel, rel, false);
    }
  expect (&w, NULL, "link/file", "real/sub/file", true);
  path_walk_release (&w);
}

static void
test_relative_without_from (void **state)
{
  struct path_walk w = { 0 };
  struct file_identity id;
  (void) state;

  assert_null (path_walk_resolve (&w, NULL, "rootfs", &id));
  assert_false (id.known);
  path_walk_release (&w);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_resolves_as_the_kernel),
    cmocka_unit_test (test_relative_starts_in_from),
    cmocka_unit_test (test_remembered_directories),
    cmocka_unit_test (test_relative_without_from),
  };
  return cmocka_run_group_tests (tests, make_tree, remove_tree);
}
