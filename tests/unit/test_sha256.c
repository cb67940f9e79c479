/* SHA-256 against the FIPS 180-4 examples. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sha256.h"

static void
test_vectors (void **state)
{
  char hex[SHA256_HEX_LEN + 1];
  char *million = malloc (1000000);

  sha256_hex ("", 0, hex);
  assert_string_equal (hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  sha256_hex ("abc", 3, hex);
  assert_string_equal (hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  sha256_hex ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
  assert_string_equal (hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  memset (million, 'a', 1000000);
  sha256_hex (million, 1000000, hex);
  assert_string_equal (hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  free (million);
}

int
main (void)
{
  const struct CMUnitTest tests[] = { cmocka_unit_test (test_vectors) };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
