/* hardrun: an OCI runtime that hardens config.json, logs the decision and
 * hands the command to the real runc.
 *
 *   argv -> (create/run/restore) spec -> policy -> controls -> decision -> log -> exec
 *   argv -> (anything else) short log line -> exec
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/argv.h"
#include "cli/verbs.h"
#include "base/cleanup.h"
#include "cli/verbs.h"
#include "policy/configuration.h"
#include "cli/container.h"
#include "runtime/delegate.h"
#include "decide/outcome.h"
#include "cli/refusal.h"

static const char hardrun_help[] =
    "hardrun " PACKAGE_VERSION ": an OCI runtime that hardens each container before runc starts it.\n"
    "\n"
    "Used in runc's place, hardrun accepts runc's command line unchanged. For create and\n"
    "run it applies its policy to the bundle's config.json, logs the decision, and execs\n"
    "the real runc; every other command goes straight to runc.\n"
    "\n"
    "hardrun's own commands:\n"
    "  hardrun check [--json] [--print-config] BUNDLE|CONFIG.json\n"
    "                          decide for a bundle without changing anything\n"
    "  hardrun check --assume-lsm apparmor|selinux|none ...\n"
    "                          decide as if the host had that LSM\n"
    "  hardrun doctor          what this host gives hardrun, and what it lacks\n"
    "  hardrun profiles show|install\n"
    "                          print or load hardrun's AppArmor profile\n"
    "  hardrun inspect [--json] ID\n"
    "                          a container's record, also after it is deleted\n"
    "  hardrun history [--json] [--namespace P] [--image P] [-n N]\n"
    "                          recent launches and refusals\n"
    "  hardrun run [runc run flags] ID\n"
    "                          runc run, hardened (the local testing path)\n"
    "\n"
    "Configuration: " HARDRUN_DEFAULT_CONFIG " (or $HARDRUN_CONFIG).\n"
    "\n"
    "runc's own help follows.\n"
    "\n";

int
main (int argc, char *argv[])
{
  uint64_t start_us = monotonic_us ();
  struct runc_argv args;
  struct hr_error err = { 0 };

  if (runc_argv_parse (argc, argv, &args, &err) < 0)
    {
      /* runc would reject this command line; say so the way runc would, and
       * never start anything we could not read. */
      cleanup_free char *msg = hr_xasprintf ("hardrun: %s", err.msg);
      return refusal_report (&args, msg);
    }

  if (args.command == CMD_UNKNOWN && strcmp (args.command_name, "check") == 0)
    return check_main (argc - args.command_index, argv + args.command_index);
  if (args.command == CMD_UNKNOWN && strcmp (args.command_name, "doctor") == 0)
    return doctor_main (argc - args.command_index, argv + args.command_index);
  if (args.command == CMD_UNKNOWN && strcmp (args.command_name, "profiles") == 0)
    return profiles_main (argc - args.command_index, argv + args.command_index);
  if (args.command == CMD_UNKNOWN && strcmp (args.command_name, "inspect") == 0)
    return inspect_main (argc - args.command_index, argv + args.command_index);
  if (args.command == CMD_UNKNOWN && strcmp (args.command_name, "history") == 0)
    return history_main (argc - args.command_index, argv + args.command_index);

  /* hardrun's answers come first; runc's follow unchanged. */
  if (args.global_version)
    printf ("hardrun version %s\n", PACKAGE_VERSION);
  else if (args.global_help || args.command == CMD_NONE)
    fputs (hardrun_help, stdout);
  fflush (stdout);

  /* restore starts a container from the bundle's config.json too */
  if ((args.command == CMD_CREATE || args.command == CMD_RUN || args.command == CMD_RESTORE)
      && !args.command_help)
    return launch_hardened (&args, argc, argv, start_us);
  /* commands that act on a container: its profile's command policy, a
   * lifecycle line; queries (state, ps, events) go straight through */
  if (args.container_id != NULL && !args.command_help
      && (args.command == CMD_START || args.command == CMD_DELETE))
    return container_lifecycle (&args, argc, argv);
  if (args.container_id != NULL && !args.command_help && args.command != CMD_UNKNOWN
      && args.command != CMD_HELP && args.command != CMD_SPEC && args.command != CMD_LIST
      && args.command != CMD_FEATURES && args.command != CMD_INIT && args.command != CMD_STATE
      && args.command != CMD_PS && args.command != CMD_EVENTS)
    return container_command (&args, argc, argv);
  return launch_passthrough (&args, argc, argv);
}
