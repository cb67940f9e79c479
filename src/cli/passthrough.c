/* Every command hardrun does not judge (state, list, ps, events, features,
 * spec, help, --version, ...): straight to the runtime. */
#include "config.h"
#include "cli/verbs.h"

#include "base/cleanup.h"
#include "cli/runtime.h"

int
verb_passthrough (const struct verb_call *call)
{
  cleanup_free char *runtime = NULL;
  int status;

  if (runtime_lean_path (call->args, &runtime, &status) < 0)
    return status;
  return runtime_become (call->args, runtime, call->argc, call->argv, NULL);
}
