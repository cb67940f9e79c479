/* delete: as start, and the line says how long the container lived; the
 * container's record is stamped deleted (it outlives the container within
 * the configuration's bounds). */
#include "config.h"
#include "cli/verbs.h"

#include "base/cleanup.h"
#include "cli/lifecycle.h"
#include "cli/runtime.h"

static void
delete_extend (struct json *line, const struct runc_argv *args, const struct json *rec,
               const struct record_key *key, const struct timespec *at)
{
  struct hr_error err = { 0 };
  int64_t created = 0;

  (void) args;
  if (json_number_to_i64 (json_object_get (rec, "created"), &created) == 0)
    json_object_append (line, "lifetime_seconds", json_new_uint ((uint64_t) (at->tv_sec - created)));
  if (rec != NULL && record_mark_deleted (key, at->tv_sec, &err) < 0)
    json_object_append (line, "record_error", json_new_string (err.msg));
}

int
verb_delete (const struct verb_call *call)
{
  cleanup_free char *runtime = NULL;
  int status;

  if (runtime_lean_path (call->args, &runtime, &status) < 0)
    return status;
  return lifecycle_become_runtime (call, runtime, delete_extend);
}
