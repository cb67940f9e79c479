/* SHA-256 (FIPS 180-4), for the decision log's before/after digests. */
#ifndef HARDRUN_SHA256_H
#define HARDRUN_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX_LEN 64

/* The block functions: plain C everywhere, the x86 SHA extensions where the
   CPU has them (checked with cpuid on every call, so no state is kept). */
enum sha256_engine
{
  SHA256_ENGINE_PORTABLE,
  SHA256_ENGINE_X86_SHA,
};

bool sha256_engine_available (enum sha256_engine engine);
void sha256_hex_engine (enum sha256_engine engine, const void *data, size_t len,
                        char out[SHA256_HEX_LEN + 1]);
/* The fastest engine available. */
void sha256_hex (const void *data, size_t len, char out[SHA256_HEX_LEN + 1]);

#endif
