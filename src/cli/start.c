/* start: no policy decides it, so nothing runs before the exec but argv and
 * the runtime's path; its line is written once hardrun is runc. */
#include "config.h"
#include "cli/verbs.h"

#include "base/cleanup.h"
#include "cli/lifecycle.h"
#include "cli/runtime.h"

int
verb_start (const struct verb_call *call)
{
  cleanup_free char *runtime = NULL;
  int status;

  if (runtime_lean_path (call->args, &runtime, &status) < 0)
    return status;
  return lifecycle_become_runtime (call, runtime, NULL);
}
