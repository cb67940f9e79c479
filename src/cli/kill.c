/* kill, pause and resume. A profile's "commands" may refuse them; where no
 * profile of the configuration does, they take start's lean path (their
 * line written after the exec). */
#include "config.h"
#include "cli/verbs.h"

#include "cli/container.h"
#include "cli/lifecycle.h"

static void
add_signal (struct json *line, const struct runc_argv *args)
{
  if (args->command == CMD_KILL)
    json_object_append (line, "signal", json_new_string (args->second_arg ? args->second_arg : "SIGTERM"));
}

static void
signal_extend (struct json *line, const struct runc_argv *args, const struct json *rec,
               const struct record_key *key, const struct timespec *at)
{
  (void) rec;
  (void) key;
  (void) at;
  add_signal (line, args);
}

int
verb_signal (const struct verb_call *call)
{
  struct container_call c = { 0 };
  int status;

  if (container_call_configure (&c, call, &status) < 0)
    return status;
  if (config_command_never_denied (&c.cfg, (enum engine_command) c.engine_cmd))
    {
      status = lifecycle_become_runtime (call, c.cfg.runtime, signal_extend);
      container_call_release (&c);
      return status;
    }
  if (container_call_open (&c, &status) < 0)
    return status;
  add_signal (c.line, call->args);
  container_call_seal (&c);
  return container_call_end (&c);
}
