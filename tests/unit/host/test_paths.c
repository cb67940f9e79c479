/* Lexical path cleaning, as Go's path.Clean. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
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
    cmocka_unit_test (test_within),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
