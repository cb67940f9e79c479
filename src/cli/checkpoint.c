/* checkpoint: decided by the profile's "commands" alone (denied by
 * default: a checkpoint image holds the container's memory). */
#include "config.h"
#include "cli/verbs.h"

#include "cli/container.h"

int
verb_checkpoint (const struct verb_call *call)
{
  struct container_call c = { 0 };
  int status;

  if (container_call_begin (&c, call, &status) < 0)
    return status;
  container_call_seal (&c);
  return container_call_end (&c);
}
