/* The decision log: one JSON line per decision, appended atomically. */
#ifndef HARDRUN_DECISION_LOG_H
#define HARDRUN_DECISION_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "decision.h"
#include "error.h"
#include "json.h"

struct launch_record
{
  const char *command;
  const char *container_id;
  const char *bundle;
  const char *delegate;
  const char *policy_name;
  const char *policy_hash;
  const char *mode;
  const char *verdict;
  const struct decision *decision;
  const char *sha256_before;
  const char *sha256_after;
  const struct json *spec; /* for the workload's identity; may be NULL */
  const char *error;       /* why the launch failed before a decision, or NULL */
  uint64_t hardrun_us;
};

/* "2026-11-22T12:34:56.123456Z" */
void rfc3339_now (char *buf, size_t len);

/* The whole record as one JSON line (without the newline). */
char *launch_record_json (const struct launch_record *rec);
/* A short line for commands that only pass through. */
char *command_record_json (const char *command, const char *container_id, const char *delegate);

/* Append line + '\n' in a single write under an exclusive lock, creating
 * the directory and the file (0640) as needed; copy to syslog if asked. */
int decision_log_append (const char *path, const char *line, bool to_syslog, struct hr_error *err);

#endif
