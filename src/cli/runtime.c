#include "config.h"
#include "cli/runtime.h"

#include <stdlib.h>

#include "base/cleanup.h"
#include "cli/refusal.h"
#include "policy/configuration.h"
#include "runtime/delegate.h"

bool
runtime_loops_back (const struct runc_argv *args, int *status)
{
  if (getenv (HARDRUN_DELEGATED_ENV) == NULL)
    return false;
  *status = refusal_report (args, "hardrun: the delegate runtime leads back to hardrun; set "
                                  "\"runtime\" in the configuration to the real runc");
  return true;
}

int
runtime_lean_path (const struct runc_argv *args, char **runtime, int *status)
{
  cleanup_free char *msg = NULL;
  struct hr_error err = { 0 };

  *runtime = NULL;
  if (runtime_loops_back (args, status))
    return -1;
  if (config_runtime (runtime, &err) < 0)
    {
      msg = hr_xasprintf ("hardrun: %s", err.msg);
      *status = refusal_report (args, msg);
      return -1;
    }
  return 0;
}

int
runtime_become (const struct runc_argv *args, const char *runtime, int argc, char *const argv[],
                struct after_exec *writer)
{
  cleanup_free char *msg = NULL;
  struct hr_error err = { 0 };

  delegate_exec (runtime, argc, argv, &err);
  if (writer != NULL)
    after_exec_cancel (writer);
  msg = hr_xasprintf ("hardrun: %s", err.msg);
  return refusal_report (args, msg);
}
