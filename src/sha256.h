/* SHA-256 (FIPS 180-4), for the decision log's before/after digests. */
#ifndef HARDRUN_SHA256_H
#define HARDRUN_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX_LEN 64

void sha256_hex (const void *data, size_t len, char out[SHA256_HEX_LEN + 1]);

#endif
