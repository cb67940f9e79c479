#include "config.h"
#include "hostfacts.h"

#include <seccomp.h>
#include <string.h>

struct arch_family
{
  uint32_t native;
  const char *names[HOST_MAX_ARCHES];
};

/* A 64-bit kernel also runs its 32-bit compat ABIs: filter them too, as
 * Docker's profile does. */
static const struct arch_family families[] = {
  { SCMP_ARCH_X86_64, { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", NULL } },
  { SCMP_ARCH_X86, { "SCMP_ARCH_X86", NULL } },
  { SCMP_ARCH_AARCH64, { "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", NULL } },
  { SCMP_ARCH_ARM, { "SCMP_ARCH_ARM", NULL } },
  { SCMP_ARCH_PPC64LE, { "SCMP_ARCH_PPC64LE", NULL } },
  { SCMP_ARCH_S390X, { "SCMP_ARCH_S390X", "SCMP_ARCH_S390", NULL } },
  { SCMP_ARCH_RISCV64, { "SCMP_ARCH_RISCV64", NULL } },
  { SCMP_ARCH_MIPSEL64, { "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_MIPSEL", NULL } },
};

const char *
host_arch_name (uint32_t token)
{
  for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
    if (families[i].native == token)
      return families[i].names[0];
  return NULL;
}

int
host_facts_probe (struct host_facts *out, struct hr_error *err)
{
  memset (out, 0, sizeof *out);
  out->native_arch = seccomp_arch_native ();
  for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
    if (families[i].native == out->native_arch)
      {
        for (size_t j = 0; j < HOST_MAX_ARCHES && families[i].names[j]; j++)
          out->arches[out->n_arches++] = families[i].names[j];
        return 0;
      }
  return hr_error_set (err, 0, "unsupported host architecture (libseccomp token 0x%x)",
                       out->native_arch);
}
