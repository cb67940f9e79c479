/* What the verbs on an existing container share (exec, kill, pause,
 * resume, update, checkpoint; start and delete through lifecycle.h): the
 * container's record, its profile, the profile's command policy, and the
 * command's line in the decision log. */
#ifndef HARDRUN_CLI_CONTAINER_H
#define HARDRUN_CLI_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/verbs.h"
#include "decide/outcome.h"
#include "policy/configuration.h"
#include "record/record.h"
#include "spec/json.h"

/* One command on a container, from the configuration to the exec. */
struct container_call
{
  const struct verb_call *call;
  struct hr_config cfg;
  struct record_key key;
  struct json *rec;       /* record.json; NULL when hardrun did not start it, or forgot it */
  const char *profile_name;
  int engine_cmd;         /* its enum engine_command, or -1 when no profile decides it */
  struct outcome out;     /* the profile (when one can refuse the command) and the decision */
  bool audit;
  struct json *line;      /* the command's decision-log line, being built */
  char *line_text;        /* ... and written out (container_call_seal) */
  bool lost_line_refuses; /* a line that cannot be logged stops the command (exec) */
  char *msg;              /* the refusal, once there is one */
  char *stdin_copy;       /* what the runtime will read from stdin (update -r -) */
  size_t stdin_len;
  char **argv;            /* runc's argv when hardrun changed it, else NULL */
  int argc;               /* ... and its length */
};

/* The configuration. -1 with *status when it cannot be read (reported). */
int container_call_configure (struct container_call *c, const struct verb_call *call, int *status);
/* The record, the profile, the head of the line, and the profile's command
 * policy. -1 with *status when the profile cannot be built (reported). */
int container_call_open (struct container_call *c, int *status);
/* Both of the above. */
int container_call_begin (struct container_call *c, const struct verb_call *call, int *status);

/* The verdict, and the line's mode, decision, items and text. */
void container_call_seal (struct container_call *c);
/* Log the line, then refuse or become the runtime. Releases c. */
int container_call_end (struct container_call *c);
/* Report c->msg without logging. Releases c. */
int container_call_refuse (struct container_call *c);
void container_call_release (struct container_call *c);

/* The head of a command's line: time, command, id, delegate, profile, and
 * the workload its record names. */
struct json *command_line_head (const char *time, const struct runc_argv *args, const char *delegate,
                                const char *profile, const struct json *rec);
/* The profile a record names, or the configuration's default. */
const char *record_profile_name (const struct json *rec, const struct hr_config *cfg);
/* The command a profile's "commands" can refuse, or -1. */
int engine_command_of (enum runc_command cmd);

#endif
