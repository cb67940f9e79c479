/* hardrun: an OCI runtime that hardens config.json, logs the decision and
 * hands the command to the real runc.
 *
 *   argv -> (create/run/restore) spec -> policy -> controls -> decision -> log -> exec
 *   argv -> (a command on a container) its profile's command policy -> log -> exec
 *   argv -> (a query) exec
 *
 * main() reads argv and hands it to its verb through the tables below;
 * docs/ARCHITECTURE.md shows where each step lives. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/cleanup.h"
#include "base/clock.h"
#include "cli/argv.h"
#include "cli/argv.h"
#include "cli/refusal.h"
#include "cli/verbs.h"
#include "policy/configuration.h"

/* runc's verbs that hardrun judges; any other command passes through. */
struct runc_verb
{
  enum runc_command command;
  verb_fn run;
  bool on_container; /* needs a container id (runc reports it missing) */
};

static const struct runc_verb runc_verbs[] = {
  { CMD_CREATE, verb_create, false },
  { CMD_RUN, verb_create, false },
  { CMD_RESTORE, verb_create, false }, /* starts a container from config.json too */
  { CMD_START, verb_start, true },
  { CMD_DELETE, verb_delete, true },
  { CMD_EXEC, verb_exec, true },
  { CMD_KILL, verb_signal, true },
  { CMD_PAUSE, verb_signal, true },
  { CMD_RESUME, verb_signal, true },
  { CMD_UPDATE, verb_update, true },
  { CMD_CHECKPOINT, verb_checkpoint, true },
};

/* hardrun's own verbs: words runc does not know. */
struct own_verb
{
  const char *name;
  int (*main) (int argc, char *const argv[]);
};

static const struct own_verb own_verbs[] = {
  { "check", check_main },
  { "doctor", doctor_main },
  { "profiles", profiles_main },
  { "inspect", inspect_main },
  { "history", history_main },
  { "learned", learned_main },
  { "version", version_main },
};

static const struct own_verb *
own_verb_named (const struct runc_argv *args)
{
  if (args->command != CMD_UNKNOWN)
    return NULL;
  for (size_t i = 0; i < sizeof own_verbs / sizeof own_verbs[0]; i++)
    if (strcmp (args->command_name, own_verbs[i].name) == 0)
      return &own_verbs[i];
  return NULL;
}

/* The handler for a runc command: its verb, or the passthrough for a
 * query, a request for help, or a command runc will reject anyway. */
static verb_fn
runc_verb_for (const struct runc_argv *args)
{
  /* runc's version or help, then hardrun's */
  if (args->global_version || args->global_help || args->command == CMD_NONE)
    return verb_about;
  if (args->command_help)
    return verb_passthrough;
  for (size_t i = 0; i < sizeof runc_verbs / sizeof runc_verbs[0]; i++)
    if (runc_verbs[i].command == args->command)
      return runc_verbs[i].on_container && args->container_id == NULL ? verb_passthrough
                                                                       : runc_verbs[i].run;
  return verb_passthrough;
}

int
main (int argc, char *argv[])
{
  uint64_t start_us = monotonic_us ();
  struct runc_argv args;
  struct hr_error err = { 0 };
  const struct own_verb *own;

  if (runc_argv_parse (argc, argv, &args, &err) < 0)
    {
      /* runc would reject this command line; say so the way runc would, and
       * never start anything we could not read. */
      cleanup_free char *msg = hr_xasprintf ("hardrun: %s", err.msg);
      return refusal_report (&args, msg);
    }
  own = own_verb_named (&args);
  if (own != NULL)
    return own->main (argc - args.command_index, argv + args.command_index);

  {
    const struct verb_call call = { &args, argc, argv, start_us };
    return runc_verb_for (&args) (&call);
  }
}
