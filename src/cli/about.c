/* --version, -v, --help, -h and no command at all: runc answers first and
 * unchanged (tools read its first lines), and hardrun adds its own after
 * it. `hardrun version` prints hardrun's line alone. */
#include "config.h"
#include "cli/verbs.h"

#include <stdio.h>

#include "base/cleanup.h"
#include "cli/refusal.h"
#include "cli/runtime.h"
#include "policy/configuration.h"
#include "runtime/delegate.h"

static const char hardrun_help[] =
    "\n"
    "hardrun " PACKAGE_VERSION ": an OCI runtime that hardens each container before runc starts it.\n"
    "\n"
    "Used in runc's place, hardrun accepts runc's command line unchanged. For create and\n"
    "run it applies its policy to the bundle's config.json, logs the decision, and execs\n"
    "the real runc; later commands are judged against the container's record, and every\n"
    "other command goes straight to runc.\n"
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
    "  hardrun version         hardrun's version alone\n"
    "\n"
    "Configuration: " HARDRUN_DEFAULT_CONFIG " (or $HARDRUN_CONFIG).\n";

int
verb_about (const struct verb_call *call)
{
  cleanup_free char *runtime = NULL;
  cleanup_free char *msg = NULL;
  struct hr_error err = { 0 };
  int status;

  if (runtime_lean_path (call->args, &runtime, &status) < 0)
    return status;
  if (delegate_run (runtime, call->argc, call->argv, &status, &err) < 0)
    {
      msg = hr_xasprintf ("hardrun: %s", err.msg);
      return refusal_report (call->args, msg);
    }
  /* only after an answer runc gave */
  if (status == 0)
    {
      if (call->args->global_version)
        printf ("hardrun version %s\n", PACKAGE_VERSION);
      else
        fputs (hardrun_help, stdout);
      if (fflush (stdout) != 0)
        return 1;
    }
  return status;
}

int
version_main (int argc, char *const argv[])
{
  (void) argv;
  if (argc > 1)
    {
      fputs ("usage: hardrun version\n", stderr);
      return 2;
    }
  printf ("hardrun version %s\n", PACKAGE_VERSION);
  return fflush (stdout) == 0 ? 0 : 1;
}
