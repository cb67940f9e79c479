#include "config.h"
#include "spec/sha256.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_X86_SHA_CODE 1
#endif

static const uint32_t k[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
blocks_portable (uint32_t h[8], const unsigned char *p, size_t count)
{
  for (; count > 0; count--, p += 64)
    {
      uint32_t w[64], a, b, c, d, e, f, g, hh;

      for (int i = 0; i < 16; i++)
        w[i] = (uint32_t) p[4 * i] << 24 | (uint32_t) p[4 * i + 1] << 16
               | (uint32_t) p[4 * i + 2] << 8 | (uint32_t) p[4 * i + 3];
      for (int i = 16; i < 64; i++)
        {
          uint32_t s0 = ROR (w[i - 15], 7) ^ ROR (w[i - 15], 18) ^ (w[i - 15] >> 3);
          uint32_t s1 = ROR (w[i - 2], 17) ^ ROR (w[i - 2], 19) ^ (w[i - 2] >> 10);
          w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
      a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
      for (int i = 0; i < 64; i++)
        {
          uint32_t t1 = hh + (ROR (e, 6) ^ ROR (e, 11) ^ ROR (e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
          uint32_t t2 = (ROR (a, 2) ^ ROR (a, 13) ^ ROR (a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
          hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
        }
      h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
    }
}

#ifdef HAVE_X86_SHA_CODE
/* The x86 SHA extensions keep the state as two vectors, ABEF and CDGH, and
   run two rounds per sha256rnds2; about ten times the portable speed, which
   is most of a launch's time on a 1 MB config. */
__attribute__ ((target ("sha,sse4.1,ssse3"))) static void
blocks_x86_sha (uint32_t h[8], const unsigned char *p, size_t count)
{
  const __m128i bswap = _mm_set_epi64x (0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
  __m128i dcba = _mm_loadu_si128 ((const __m128i *) &h[0]);
  __m128i hgfe = _mm_loadu_si128 ((const __m128i *) &h[4]);
  __m128i cdab = _mm_shuffle_epi32 (dcba, 0xB1);
  __m128i efgh = _mm_shuffle_epi32 (hgfe, 0x1B);
  __m128i abef = _mm_alignr_epi8 (cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16 (efgh, cdab, 0xF0);

  for (; count > 0; count--, p += 64)
    {
      __m128i w[16], saved_abef = abef, saved_cdgh = cdgh;

      for (int i = 0; i < 4; i++)
        w[i] = _mm_shuffle_epi8 (_mm_loadu_si128 ((const __m128i *) (p + 16 * i)), bswap);
      for (int i = 4; i < 16; i++)
        w[i] = _mm_sha256msg2_epu32 (_mm_add_epi32 (_mm_sha256msg1_epu32 (w[i - 4], w[i - 3]),
                                                    _mm_alignr_epi8 (w[i - 1], w[i - 2], 4)),
                                     w[i - 1]);
      for (int i = 0; i < 16; i++)
        {
          __m128i wk = _mm_add_epi32 (w[i], _mm_loadu_si128 ((const __m128i *) &k[4 * i]));
          cdgh = _mm_sha256rnds2_epu32 (cdgh, abef, wk);
          abef = _mm_sha256rnds2_epu32 (abef, cdgh, _mm_shuffle_epi32 (wk, 0x0E));
        }
      abef = _mm_add_epi32 (abef, saved_abef);
      cdgh = _mm_add_epi32 (cdgh, saved_cdgh);
    }

  __m128i abef_rev = _mm_shuffle_epi32 (abef, 0x1B);
  __m128i ghcd = _mm_shuffle_epi32 (cdgh, 0xB1);
  _mm_storeu_si128 ((__m128i *) &h[0], _mm_blend_epi16 (abef_rev, ghcd, 0xF0));
  _mm_storeu_si128 ((__m128i *) &h[4], _mm_alignr_epi8 (ghcd, abef_rev, 8));
}
#endif

bool
sha256_engine_available (enum sha256_engine engine)
{
  switch (engine)
    {
    case SHA256_ENGINE_PORTABLE:
      return true;
    case SHA256_ENGINE_X86_SHA:
#ifdef HAVE_X86_SHA_CODE
      {
        unsigned int eax, ebx, ecx, edx;
        /* leaf 7: SHA in EBX bit 29; leaf 1: SSSE3 (ECX 9), SSE4.1 (ECX 19) */
        if (!__get_cpuid_count (7, 0, &eax, &ebx, &ecx, &edx) || !(ebx & (1u << 29)))
          return false;
        if (!__get_cpuid (1, &eax, &ebx, &ecx, &edx))
          return false;
        return (ecx & (1u << 9)) && (ecx & (1u << 19));
      }
#else
      return false;
#endif
    }
  return false;
}

void
sha256_hex_engine (enum sha256_engine engine, const void *data, size_t len,
                   char out[SHA256_HEX_LEN + 1])
{
  static const char hex[] = "0123456789abcdef";
  uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
  void (*blocks) (uint32_t[8], const unsigned char *, size_t) = blocks_portable;
  const unsigned char *p = data;
  unsigned char tail[128] = { 0 };
  size_t full = len / 64 * 64, rest = len - full, tail_len;
  uint64_t bits = (uint64_t) len * 8;

#ifdef HAVE_X86_SHA_CODE
  if (engine == SHA256_ENGINE_X86_SHA)
    blocks = blocks_x86_sha;
#else
  (void) engine;
#endif
  blocks (h, p, full / 64);
  memcpy (tail, p + full, rest);
  tail[rest] = 0x80;
  tail_len = rest < 56 ? 64 : 128;
  for (int i = 0; i < 8; i++)
    tail[tail_len - 1 - i] = (unsigned char) (bits >> (8 * i));
  blocks (h, tail, tail_len / 64);
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 4; j++)
      {
        unsigned char byte = (unsigned char) (h[i] >> (24 - 8 * j));
        out[i * 8 + j * 2] = hex[byte >> 4];
        out[i * 8 + j * 2 + 1] = hex[byte & 15];
      }
  out[SHA256_HEX_LEN] = '\0';
}

void
sha256_hex (const void *data, size_t len, char out[SHA256_HEX_LEN + 1])
{
  sha256_hex_engine (sha256_engine_available (SHA256_ENGINE_X86_SHA) ? SHA256_ENGINE_X86_SHA
                                                                    : SHA256_ENGINE_PORTABLE,
                     data, len, out);
}
