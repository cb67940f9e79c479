/* runc's command line, read exactly as runc (urfave/cli v1 over Go's flag
 * package) reads it. Nothing here changes argv: it is passed on verbatim. */
#ifndef HARDRUN_ARGV_H
#define HARDRUN_ARGV_H

#include "spec/json.h"

#include <stdbool.h>

#include "base/error.h"

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
  const char *argv0; /* the name hardrun was called by */
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
  const char *preserve_fds; /* --preserve-fds N: fds 3 to 3+N-1 reach the process */
  const char *container_id; /* first positional argument */
  const char *second_arg;   /* the next one: kill's signal */
  int positional_count;

  /* exec's flags that change the process (runc takes them over the config) */
#define RUNC_ARGV_MAX_CAPS 64
  const char *exec_caps[RUNC_ARGV_MAX_CAPS];
  int n_exec_caps;
  const char *exec_apparmor;
  const char *exec_process_label;
  const char *exec_user;
  const char *exec_cgroup; /* --cgroup: a sub-cgroup of the container's */
  bool exec_no_new_privs_set;
  bool exec_no_new_privs;
  /* update's flags, in argv order: which resources it touches */
#define RUNC_ARGV_MAX_UPDATES 32
  const char *update_flags[RUNC_ARGV_MAX_UPDATES];
  const char *update_values[RUNC_ARGV_MAX_UPDATES];
  int n_updates;
  /* more --cap or update flags than the arrays hold: not judged, so refused */
  bool too_many_flags;
  /* the exec'd command's argv, when given on the command line */
  const char *const *exec_argv;
  int exec_argc;
};

/* 0 on success; -1 when runc itself would reject the command line (the
 * message is runc's reason). */
int runc_argv_parse (int argc, char *const argv[], struct runc_argv *out, struct hr_error *err);

const char *runc_command_name (enum runc_command cmd);

/* argv with the flag value `value` (one of the pointers runc_argv_parse
 * set, into argv) replaced: "-p V", "--process V" or "--process=V".
 * NULL if `value` is not in argv. Free with runc_argv_free. */
char **runc_argv_replace (int argc, char *const argv[], const char *value, const char *replacement);
/* A copy of argv with items (strings) inserted before the argument that
 * is `before` itself (a pointer into argv); NULL when none is. */
char **runc_argv_insert (int argc, char *const argv[], const char *before, const struct json *items, int *new_argc);
void runc_argv_free (char **argv);

#endif
