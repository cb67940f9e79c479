/* What the host offers, probed once per launch and handed to the controls:
 * no control reads /proc, /sys or the kernel itself. */
#ifndef HARDRUN_HOSTFACTS_H
#define HARDRUN_HOSTFACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define HOST_MAX_ARCHES 4

struct host_facts
{
  uint32_t native_arch;                   /* libseccomp's SCMP_ARCH_* token */
  const char *arches[HOST_MAX_ARCHES];    /* OCI names, native first */
  size_t n_arches;
};

int host_facts_probe (struct host_facts *out, struct hr_error *err);

/* The OCI name ("SCMP_ARCH_X86_64") of a libseccomp architecture token. */
const char *host_arch_name (uint32_t token);

#endif
