/* SHA-256 against the FIPS 180-4 examples. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "spec/sha256.h"

static const struct
{
  const char *text;
  const char *digest;
} vectors[] = {
  { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
  { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
  { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
  { "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
};

static void
check_engine (enum sha256_engine engine)
{
  char hex[SHA256_HEX_LEN + 1];
  char *million = malloc (1000000);

  for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++)
    {
      sha256_hex_engine (engine, vectors[i].text, strlen (vectors[i].text), hex);
      assert_string_equal (hex, vectors[i].digest);
    }
  memset (million, 'a', 1000000);
  sha256_hex_engine (engine, million, 1000000, hex);
  assert_string_equal (hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  free (million);
}

static void
test_portable_vectors (void **state)
{
  (void) state;
  check_engine (SHA256_ENGINE_PORTABLE);
}

static void
test_x86_sha_vectors (void **state)
{
  (void) state;
  if (!sha256_engine_available (SHA256_ENGINE_X86_SHA))
    skip ();
  check_engine (SHA256_ENGINE_X86_SHA);
}

/* Every length from 0 to 1000 (all the padding cases, one and many
   blocks): the engines agree, and sha256_hex is one of them. */
static void
test_engines_agree (void **state)
{
  unsigned char data[1000];
  char portable[SHA256_HEX_LEN + 1], fast[SHA256_HEX_LEN + 1], chosen[SHA256_HEX_LEN + 1];
  enum sha256_engine other = sha256_engine_available (SHA256_ENGINE_X86_SHA)
                                 ? SHA256_ENGINE_X86_SHA
                                 : SHA256_ENGINE_PORTABLE;

  (void) state;
  for (size_t i = 0; i < sizeof data; i++)
    data[i] = (unsigned char) (i * 131 + 7);
  for (size_t len = 0; len <= sizeof data; len++)
    {
      sha256_hex_engine (SHA256_ENGINE_PORTABLE, data, len, portable);
      sha256_hex_engine (other, data, len, fast);
      sha256_hex (data, len, chosen);
      assert_string_equal (portable, fast);
      assert_string_equal (portable, chosen);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = { cmocka_unit_test (test_portable_vectors),
                                      cmocka_unit_test (test_x86_sha_vectors),
                                      cmocka_unit_test (test_engines_agree) };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
