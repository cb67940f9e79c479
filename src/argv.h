/* runc's command line, read exactly as runc (urfave/cli v1 over Go's flag
 * package) reads it. Nothing here changes argv: it is passed on verbatim. */
#ifndef HARDRUN_ARGV_H
#define HARDRUN_ARGV_H

#include <stdbool.h>

#include "error.h"

enum runc_command
{
  CMD_NONE, /* no subcommand: runc prints help, or --version/--help was given */
  CMD_CHECKPOINT,
  CMD_CREATE,
  CMD_DELETE,
  CMD_EVENTS,
  CMD_EXEC,
  CMD_FEATURES,
  CMD_HELP,
  CMD_INIT,
  CMD_KILL,
  CMD_LIST,
  CMD_PAUSE,
  CMD_PS,
  CMD_RESTORE,
  CMD_RESUME,
  CMD_RUN,
  CMD_SPEC,
  CMD_START,
  CMD_STATE,
  CMD_UPDATE,
  CMD_UNKNOWN, /* a word runc does not know: runc reports it */
};

struct runc_argv
{
  /* runc's global flags */
  bool debug;
  const char *log;
  const char *log_format;
  const char *root;
  const char *criu;
  bool systemd_cgroup;
  const char *rootless;
  bool global_help;
  bool global_version;

  enum runc_command command;
  const char *command_name;
  int command_index; /* argv index of the subcommand word, -1 if none */

  /* the subcommand's own flags and first argument */
  bool command_help;
  const char *bundle; /* -b/--bundle, NULL if not given */
  const char *process_file; /* exec -p/--process */
  const char *container_id; /* first positional argument */
  int positional_count;
};

/* 0 on success; -1 when runc itself would reject the command line (the
 * message is runc's reason). */
int runc_argv_parse (int argc, char *const argv[], struct runc_argv *out, struct hr_error *err);

const char *runc_command_name (enum runc_command cmd);

#endif
