#include "config.h"
#include "runtime/delegate.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/cleanup.h"

int
delegate_exec (const char *runtime, int argc, char *const argv[], struct hr_error *err)
{
  cleanup_free char **args = hr_xcalloc ((size_t) argc + 1, sizeof *args);

  args[0] = (char *) runtime;
  for (int i = 1; i < argc; i++)
    args[i] = argv[i];
  args[argc] = NULL;
  if (setenv (HARDRUN_DELEGATED_ENV, "1", 1) < 0)
    return hr_error_set (err, errno, "setenv");
  execv (runtime, args);
  return hr_error_set (err, errno, "cannot execute the runtime %s", runtime);
}
