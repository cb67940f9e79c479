#include "config.h"
#include "host/caller.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"

bool
host_parent_is (const char *comm)
{
  char path[64], line[32] = "";
  cleanup_fclose FILE *f = NULL;

  snprintf (path, sizeof path, "/proc/%ld/comm", (long) getppid ());
  f = fopen (path, "re");
  if (f == NULL || fgets (line, sizeof line, f) == NULL)
    return false;
  line[strcspn (line, "\n")] = '\0';
  return strcmp (line, comm) == 0;
}

bool
host_caller_is_podman (void)
{
  return host_parent_is ("conmon") || host_parent_is ("podman");
}
