/* Lexical path cleaning, as Go's path.Clean. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "host/paths.h"

static void
test_clean (void **state)
{
  static const char *const cases[][2] = {
    { "/tmp", "/tmp" },       { "/tmp/", "/tmp" },        { "//tmp//", "/tmp" },
    { "/./tmp/.", "/tmp" },   { "/var/../tmp", "/tmp" },  { "/../tmp", "/tmp" },
    { "/", "/" },             { "", "." },                { "a/../..", ".." },
    { "a/b/../c", "a/c" },    { "/run/secrets/", "/run/secrets" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      char *got = path_clean (cases[i][0]);
      assert_string_equal (got, cases[i][1]);
      free (got);
    }
}

/* path_is_clean agrees with path_clean on every case */
static void
test_is_clean (void **state)
{
  static const char *const cases[] = { "/tmp", "/tmp/", "//tmp", "/./tmp", "/tmp/.", "/var/../tmp", "/..",
                                       "/", "tmp", "/a.b/.c/..d", "/a/b", "/a//b", "/a/..b", "" };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      char *clean = path_clean (cases[i]);
      assert_int_equal (path_is_clean (cases[i]), cases[i][0] == '/' && strcmp (clean, cases[i]) == 0);
      free (clean);
    }
}

static void
test_within (void **state)
{
  assert_true (path_is_within ("/run/secrets", "/run"));
  assert_true (path_is_within ("/run", "/run"));
  assert_false (path_is_within ("/running", "/run"));
  assert_true (path_is_within ("/x", "/"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_clean),
    cmocka_unit_test (test_is_clean),
    cmocka_unit_test (test_within),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
