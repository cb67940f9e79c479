/* The decision log: one JSON line per decision, appended atomically. */
#ifndef HARDRUN_DECISION_LOG_H
#define HARDRUN_DECISION_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "controls/decision.h"
#include "spec/json.h"

struct outcome;

struct launch_record
{
  const char *command;
  const char *container_id;
  const char *bundle;
  const char *delegate;
  const struct outcome *outcome; /* spec, profile, selection, decision, digests */
  const char *mode;
  const char *verdict;
  const char *sha256_after_override; /* when nothing was written */
  const char *error; /* why the launch failed before a decision, or NULL */
  uint64_t hardrun_us;
};

/* The whole record as one JSON line (without the newline). */
char *launch_record_json (const struct launch_record *rec);
/* Append line + '\n' in a single write under an exclusive lock, creating
 * the directory and the file (0640) as needed; copy to syslog if asked. */
int decision_log_append (const char *path, const char *line, bool to_syslog, struct hr_error *err);

#endif
