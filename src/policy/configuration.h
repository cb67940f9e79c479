/* hardrun's configuration: /etc/hardrun/config.json, or $HARDRUN_CONFIG.
 * It names the delegate runtime and the decision log, defines profiles
 * (the built-in "default" and "restricted", overridable, and the
 * operator's own) and the rules that pick a profile for a workload. */
#ifndef HARDRUN_CONFIGURATION_H
#define HARDRUN_CONFIGURATION_H

#include <stdbool.h>

#include "base/error.h"
#include "policy/policy.h"
#include "policy/workload.h"

#define HARDRUN_DEFAULT_CONFIG "/etc/hardrun/config.json"
#define HARDRUN_DEFAULT_DECISION_LOG "/var/log/hardrun/decisions.log"
#define HARDRUN_DEFAULT_STATE_DIR "/var/lib/hardrun"
/* exported learned profiles the operator puts on every node */
#define HARDRUN_DEFAULT_LEARNED_DIR "/etc/hardrun/learned.d"
/* where make install puts hardrun-init (the build says) */
#ifndef HARDRUN_DEFAULT_INIT
#define HARDRUN_DEFAULT_INIT "/usr/local/libexec/hardrun/hardrun-init"
#endif

/* How many container records state_dir keeps (src/record/ prunes to them). */
struct record_bounds
{
  int64_t max_count;
  int64_t max_age_days;
  int64_t max_bytes;
};

/* The match of a selection rule: every field given must match (fnmatch). */
struct rule
{
  char *name;
  char *patterns[WL_FIELD_COUNT];
  struct json *annotations; /* {"key": "pattern"}, borrowed from the file */
  char *profile;
  struct string_list allow_request; /* profiles a matching workload may ask for */
};

struct hr_config
{
  char *path;     /* the file read, or NULL when the built-in default applies */
  char *text;     /* its bytes */
  size_t text_len;
  struct json *root; /* its tree */
  char *runtime;  /* absolute path of the delegate runtime */
  char *decision_log;
  char *state_dir; /* SELinux category pairs and container records live here */
  char *learned_dir; /* the operator's learned profiles, read only */
  char *init;        /* hardrun-init on the host */
  struct record_bounds records;
  bool syslog;
  enum hr_mode mode; /* audit here puts every profile in audit */
  char *default_profile;
  struct rule *rules;
  size_t n_rules;
};

/* Only the delegate runtime, for commands that change nothing (state, list,
 * ps, ...): the file's "runtime" if it names one, else the default search.
 * Nothing else is read or checked on that path. Caller frees *out. */
int config_runtime (char **out, struct hr_error *err);

/* Read and validate the whole configuration, every profile included. */
int config_load (struct hr_config *out, struct hr_error *err);
void config_release (struct hr_config *c);

/* No profile of this configuration (built in or the file's) refuses cmd:
 * then no profile need be built to allow it. */
bool config_command_never_denied (const struct hr_config *c, enum engine_command cmd);

/* Build the named profile (its base first), seccomp profile included when
 * with_seccomp. */
int config_build_profile (const struct hr_config *c, const char *name, bool with_seccomp,
                          struct policy *out, struct hr_error *err);

/* Which profile a workload gets, and why. */
struct selection
{
  const char *profile;
  const char *rule; /* the rule's name, or "default_profile" */
  bool requested;   /* chosen through the workload's io.hardrun.profile */
};

/* -1 when the workload asks for a profile no rule lets it have (a refusal). */
int config_select_profile (const struct hr_config *c, const struct workload *wl,
                           struct selection *out, struct hr_error *err);

#endif
