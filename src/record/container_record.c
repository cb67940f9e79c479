#include "config.h"
#include "record/container_record.h"

#include "decide/exec_process.h"

#include <string.h>
#include <time.h>

#include "base/cleanup.h"
#include "base/clock.h"
#include "record/decision_log.h"
#include "record/record.h"
#include "runtime/runc_state.h"
#include "spec/spec.h"

/* A copy of a config or process file for the record, its environment
 * values replaced: hardrun's own files never hold a secret. */
char *
record_redacted_text (const char *raw, size_t raw_len, enum spec_kind kind, size_t *len)
{
  struct spec s;
  struct hr_error err;
  struct json *env;
  char *text = NULL;

  if (spec_parse (raw, raw_len, kind, &s, &err) < 0)
    return NULL;
  env = kind == SPEC_PROCESS ? spec_get (s.root, "env") : spec_get_path (s.root, "process", "env", NULL);
  for (size_t i = 0; json_is (env, JSON_ARRAY) && i < env->arr.len; i++)
    {
      const char *e = json_string (env->arr.items[i]);
      const char *eq = e ? strchr (e, '=') : NULL;
      if (eq != NULL)
        {
          cleanup_free char *name = hr_xstrndup (e, (size_t) (eq - e));
          cleanup_free char *v = hr_xasprintf ("%s=<redacted>", name);
          json_free (env->arr.items[i]);
          env->arr.items[i] = json_new_string (v);
        }
    }
  if (json_write (s.root, 0, &text, len, &err) < 0)
    text = NULL;
  spec_release (&s);
  return text;
}

struct json *
record_process_settings (const struct json *spec)
{
  static const char *const fields[] = { "capabilities", "noNewPrivileges", "apparmorProfile",
                                        "selinuxLabel", "user" };
  const struct json *process = spec_get (spec, "process");
  struct json *o = json_new_object ();
  struct json *init = exec_init_prefix (spec_get (process, "args"));

  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    {
      const struct json *v = spec_get (process, fields[i]);
      if (v != NULL)
        json_object_append (o, fields[i], json_clone (v));
    }
  /* what every exec runs behind: hardrun-init and the container's ruleset */
  if (init != NULL)
    json_object_append (o, "init", init);
  return o;
}

int
container_record_launch (const struct hr_config *cfg, const char *root, const char *id,
                         const char *bundle, const struct outcome *out, bool audit,
                         const char *decision_line, struct hr_error *err)
{
  struct record_key key = { cfg->state_dir, runc_root (root), id };
  cleanup_json struct json *rec = json_new_object ();
  struct spec as_run = { 0 };
  cleanup_free char *text = NULL;
  size_t len;
  const char *hardened = out->new_text && !audit ? out->new_text : out->spec.raw;
  size_t hardened_len = out->new_text && !audit ? out->new_len : out->spec.raw_len;
  int r;

  if (id == NULL || out->spec.raw == NULL)
    return 0;
  /* the settings the container really runs with: the tree in hand when
   * hardrun rewrote the config, the original bytes in audit mode (the tree
   * holds what enforce mode would have made of it, whatever the verdict) */
  if (audit && spec_parse (hardened, hardened_len, SPEC_CONFIG, &as_run, err) < 0)
    return -1;
  json_object_append (rec, "id", json_new_string (id));
  json_object_append (rec, "root", json_new_string (key.root));
  json_object_append (rec, "bundle", json_new_string (bundle));
  json_object_append (rec, "created", json_new_uint ((uint64_t) time (NULL)));
  json_object_append (rec, "profile", json_new_string (out->policy.name));
  json_object_append (rec, "profile_rule", json_new_string (out->selection.rule ? out->selection.rule : ""));
  json_object_append (rec, "mode", json_new_string (audit ? "audit" : "enforce"));
  json_object_append (rec, "decision", json_new_string (verdict_name (out->verdict, audit)));
  json_object_append (rec, "workload", workload_json (&out->workload));
  json_object_append (rec, "process", record_process_settings (as_run.root ? as_run.root : out->spec.root));
  spec_release (&as_run);

  {
    size_t l1 = 0, l2 = 0;
    cleanup_free char *original = record_redacted_text (out->spec.raw, out->spec.raw_len, SPEC_CONFIG, &l1);
    cleanup_free char *as_written = record_redacted_text (hardened, hardened_len, SPEC_CONFIG, &l2);
    r = original && as_written ? 0 : hr_error_set (err, 0, "cannot copy the config into the record");
    if (r == 0)
      r = record_write (&key, "config.original.json", original, l1, err);
    if (r == 0)
      r = record_write (&key, "config.hardened.json", as_written, l2, err);
  }
  if (r == 0)
    {
      struct json *decision = NULL;
      if (json_parse (decision_line, strlen (decision_line), 0, &decision, err) == 0)
        json_object_append (rec, "launch", decision);
    }
  if (r == 0 && json_write (rec, 0, &text, &len, err) == 0)
    r = record_write (&key, "record.json", text, len, err);
  else if (r == 0)
    r = -1;
  if (r == 0 && record_prune_if_due (cfg->state_dir, &cfg->records, time (NULL), err) < 0)
    r = -1;
  return r;
}

struct record_job
{
  const struct hr_config *cfg;
  const char *root;
  const char *id;
  const char *bundle;
  const struct outcome *out;
  bool audit;
  const char *decision_line;
};

static void
record_job_run (void *p)
{
  const struct record_job *job = p;
  struct hr_error err = { 0 };

  if (container_record_launch (job->cfg, job->root, job->id, job->bundle, job->out, job->audit,
                               job->decision_line, &err)
      < 0)
    {
      /* nobody waits for this process: say it in the decision log */
      struct json *o = json_new_object ();
      cleanup_free char *line = NULL;
      char now[64];
      rfc3339_now (now, sizeof now);
      json_object_append (o, "time", json_new_string (now));
      json_object_append (o, "command", json_new_string ("record"));
      json_object_append (o, "id", json_new_string (job->id ? job->id : ""));
      json_object_append (o, "error", json_new_string (err.msg));
      if (json_write (o, 0, &line, NULL, &err) == 0)
        decision_log_append (job->cfg->decision_log, line, job->cfg->syslog, &err);
      json_free (o);
    }
}

void
container_record_launch_after_exec (struct after_exec *writer, const struct hr_config *cfg,
                                    const char *root, const char *id, const char *bundle,
                                    const struct outcome *out, bool audit,
                                    const char *decision_line)
{
  /* read by the writer after the exec, from the memory it keeps */
  struct record_job *job = hr_xmalloc (sizeof *job);

  *job = (struct record_job){ cfg, root, id, bundle, out, audit, decision_line };
  after_exec_start (writer, record_job_run, job);
}
