/* libFuzzer: hardrun's configuration file, every profile and rule in it. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "policy/configuration.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char path[64];
  static int fd = -1;
  struct hr_config cfg;
  struct hr_error err;

  if (fd < 0)
    {
      fd = memfd_create ("hardrun-config", 0);
      snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
      setenv ("HARDRUN_CONFIG", path, 1);
    }
  if (ftruncate (fd, 0) < 0 || pwrite (fd, data, size, 0) != (ssize_t) size)
    abort ();
  if (config_load (&cfg, &err) == 0)
    {
      struct policy p;
      if (config_build_profile (&cfg, cfg.default_profile, true, &p, &err) == 0)
        policy_release (&p);
      else
        policy_release (&p);
    }
  config_release (&cfg);
  return 0;
}
