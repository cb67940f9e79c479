/* The forensic record of a launch: the original and hardened config (their
 * environment values redacted), the decision line, and record.json with
 * who the workload is and the process settings it runs with. */
#ifndef HARDRUN_CONTAINER_RECORD_H
#define HARDRUN_CONTAINER_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "decide/outcome.h"
#include "policy/configuration.h"
#include "runtime/after_exec.h"
#include "spec/json.h"
#include "spec/spec.h"

/* Write the record of container id under runc root `root` (NULL: runc's
 * default), then prune old records when due. */
int container_record_launch (const struct hr_config *cfg, const char *root, const char *id,
                             const char *bundle, const struct outcome *out, bool audit,
                             const char *decision_line, struct hr_error *err);

/* The same, by a process that starts once this one has exec'd the runtime
 * (after_exec.h), so the launch does not wait for the disk: records are
 * evidence, not part of the decision. Nothing given may be freed or
 * changed before the exec; if the exec fails, after_exec_cancel (writer).
 * A failure is reported as a "record" line in the decision log. */
void container_record_launch_after_exec (struct after_exec *writer, const struct hr_config *cfg,
                                         const char *root, const char *id, const char *bundle,
                                         const struct outcome *out, bool audit,
                                         const char *decision_line);

/* A copy of a config or process file for the record, its environment
 * values replaced: hardrun's own files never hold a secret. NULL when it
 * does not parse. */
char *record_redacted_text (const char *raw, size_t raw_len, enum spec_kind kind, size_t *len);

/* The process settings a record keeps of a config: capabilities,
 * noNewPrivileges, apparmorProfile, selinuxLabel, user. */
struct json *record_process_settings (const struct json *spec);

#endif
