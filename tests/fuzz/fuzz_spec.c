/* libFuzzer: config.json (or, with FUZZ_PROCESS, an exec process file)
 * loaded as runc reads it, hardened by every control, written, and read
 * back: what hardrun writes must read back to the same tree. */
#include "config.h"

#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "controls/control.h"
#include "policy/configuration.h"
#include "policy/policy.h"
#include "spec/spec.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static struct policy policy;
static struct host_facts host;

static void
setup (void)
{
  struct hr_error err;
  struct hr_config none = { .default_profile = (char *) "default" };
  if (config_build_profile (&none, "default", true, &policy, &err) < 0)
    abort ();
  host.native_arch = SCMP_ARCH_X86_64;
  host.arches[0] = "SCMP_ARCH_X86_64";
  host.n_arches = 1;
  host.lsm.selinux_enabled = true;
  snprintf (host.lsm.selinux_process, sizeof host.lsm.selinux_process, "system_u:system_r:container_t:s0");
  snprintf (host.lsm.selinux_file, sizeof host.lsm.selinux_file, "system_u:object_r:container_file_t:s0");
  mcs_allocator_preview (&host.lsm.mcs, NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  struct spec s, back;
  struct decision d = { 0 };
  struct hr_error err;
  char *text = NULL;
  size_t len;
#ifdef FUZZ_PROCESS
  enum spec_kind kind = SPEC_PROCESS;
#else
  enum spec_kind kind = SPEC_CONFIG;
#endif

  if (policy.name == NULL)
    setup ();
  if (spec_parse ((const char *) data, size, kind, &s, &err) < 0)
    return 0;
  if (kind == SPEC_CONFIG)
    controls_run (s.root, &policy, &host, &d, &err);
  if (spec_serialize (&s, false, &text, &len, &err) < 0)
    abort ();
  if (spec_parse (text, len, kind, &back, &err) < 0)
    abort (); /* what hardrun writes, it must read */
  if (!json_equal (s.root, back.root))
    abort (); /* and read it as the same tree */
  spec_release (&back);
  spec_release (&s);
  decision_release (&d);
  free (text);
  return 0;
}
