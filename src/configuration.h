/* hardrun's configuration: /etc/hardrun/config.json, or $HARDRUN_CONFIG. */
#ifndef HARDRUN_CONFIGURATION_H
#define HARDRUN_CONFIGURATION_H

#include <stdbool.h>

#include "error.h"
#include "policy.h"

#define HARDRUN_DEFAULT_CONFIG "/etc/hardrun/config.json"
#define HARDRUN_DEFAULT_DECISION_LOG "/var/log/hardrun/decisions.log"

enum hr_mode
{
  MODE_ENFORCE,
  MODE_AUDIT,
};

struct hr_config
{
  char *path;     /* the file read, or NULL when the built-in default applies */
  char *runtime;  /* absolute path of the delegate runtime */
  char *decision_log;
  bool syslog;
  enum hr_mode mode;
  bool policy_loaded;
  struct policy policy;
};

/* Read the configuration. With want_policy false only the keys needed to
 * pass a command through are checked (the passthrough path stays lean);
 * the whole file is still parsed, so an invalid file is always refused. */
int config_load (bool want_policy, struct hr_config *out, struct hr_error *err);
void config_release (struct hr_config *c);

const char *mode_name (enum hr_mode m);

#endif
