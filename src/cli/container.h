/* Commands on an existing container (start, exec, kill, pause, resume,
 * update, delete, checkpoint, ...): the profile's command policy, hardened
 * exec, one lifecycle line in the decision log, the forensic record. */
#ifndef HARDRUN_CONTAINER_CMD_H
#define HARDRUN_CONTAINER_CMD_H

#include "cli/argv.h"
#include "policy/configuration.h"
#include "spec/json.h"
#include "runtime/after_exec.h"
#include "decide/outcome.h"

/* Returns an exit status only when the delegate was not run. */
int container_command (const struct runc_argv *args, int argc, char *const argv[]);

/* start and delete: no policy decides them, so nothing runs before the exec
 * but argv and the runtime's path (as for a query); their lifecycle line,
 * and delete's stamp on the record, are written once this process is runc.
 * Returns an exit status only when the delegate was not run. */
int container_lifecycle (const struct runc_argv *args, int argc, char *const argv[]);

/* The forensic record of a launch: original and hardened config, the
 * decision line, record.json. Prunes old records. */
int container_record_launch (const struct hr_config *cfg, const struct runc_argv *args,
                             const char *bundle, const struct outcome *out, bool audit,
                             const char *decision_line, struct hr_error *err);

/* The same, by a process that starts once this one has exec'd the runtime
 * (after_exec.h), so the launch does not wait for the disk: records are
 * evidence, not part of the decision. Nothing given may be freed or
 * changed before the exec; if the exec fails, after_exec_cancel (writer).
 * A failure is reported as a "record" line in the decision log. */
void container_record_launch_after_exec (struct after_exec *writer, const struct hr_config *cfg,
                                         const struct runc_argv *args, const char *bundle,
                                         const struct outcome *out, bool audit,
                                         const char *decision_line);

/* runc's root for these arguments (runc's own default when not given). */
const char *container_runc_root (const struct runc_argv *args);

#endif
