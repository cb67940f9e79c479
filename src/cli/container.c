#include "config.h"
#include "cli/container.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "record/decision_log.h"
#include "runtime/delegate.h"
#include "decide/exec_process.h"
#include "record/record.h"
#include "cli/refusal.h"
#include "spec/spec.h"
#include "policy/workload.h"

#define UPDATE_STDIN_MAX (1024 * 1024)

const char *
container_runc_root (const struct runc_argv *args)
{
  return args->root ? args->root : "/run/runc";
}

/* ---------- the record of a launch ---------- */

/* A copy of a config or process file for the record, its environment
 * values replaced: hardrun's own files never hold a secret. */
static char *
redacted_text (const char *raw, size_t raw_len, enum spec_kind kind, size_t *len)
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

static struct json *
process_settings (const struct json *spec)
{
  static const char *const fields[] = { "capabilities", "noNewPrivileges", "apparmorProfile",
                                        "selinuxLabel", "user" };
  const struct json *process = spec_get (spec, "process");
  struct json *o = json_new_object ();
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    {
      const struct json *v = spec_get (process, fields[i]);
      if (v != NULL)
        json_object_append (o, fields[i], json_clone (v));
    }
  return o;
}

int
container_record_launch (const struct hr_config *cfg, const struct runc_argv *args,
                         const char *bundle, const struct outcome *out, bool audit,
                         const char *decision_line, struct hr_error *err)
{
  struct record_key key = { cfg->state_dir, container_runc_root (args), args->container_id };
  cleanup_json struct json *rec = json_new_object ();
  struct spec as_run = { 0 };
  cleanup_free char *text = NULL;
  size_t len;
  const char *hardened = out->new_text && !audit ? out->new_text : out->spec.raw;
  size_t hardened_len = out->new_text && !audit ? out->new_len : out->spec.raw_len;
  int r;

  if (args->container_id == NULL || out->spec.raw == NULL)
    return 0;
  /* the settings the container really runs with: the tree in hand when
   * hardrun rewrote the config, the original bytes otherwise */
  if (audit && out->new_text != NULL && spec_parse (hardened, hardened_len, SPEC_CONFIG, &as_run, err) < 0)
    return -1;
  json_object_append (rec, "id", json_new_string (args->container_id));
  json_object_append (rec, "root", json_new_string (key.root));
  json_object_append (rec, "bundle", json_new_string (bundle));
  json_object_append (rec, "created", json_new_uint ((uint64_t) time (NULL)));
  json_object_append (rec, "profile", json_new_string (out->policy.name));
  json_object_append (rec, "profile_rule", json_new_string (out->selection.rule ? out->selection.rule : ""));
  json_object_append (rec, "mode", json_new_string (audit ? "audit" : "enforce"));
  json_object_append (rec, "decision", json_new_string (verdict_name (out->verdict, audit)));
  json_object_append (rec, "workload", workload_json (&out->workload));
  json_object_append (rec, "process", process_settings (as_run.root ? as_run.root : out->spec.root));
  spec_release (&as_run);

  {
    size_t l1 = 0, l2 = 0;
    cleanup_free char *original = redacted_text (out->spec.raw, out->spec.raw_len, SPEC_CONFIG, &l1);
    cleanup_free char *as_written = redacted_text (hardened, hardened_len, SPEC_CONFIG, &l2);
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
  const struct runc_argv *args;
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

  if (container_record_launch (job->cfg, job->args, job->bundle, job->out, job->audit,
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
      json_object_append (o, "id", json_new_string (job->args->container_id ? job->args->container_id : ""));
      json_object_append (o, "error", json_new_string (err.msg));
      if (json_write (o, 0, &line, NULL, &err) == 0)
        decision_log_append (job->cfg->decision_log, line, job->cfg->syslog, &err);
      json_free (o);
    }
}

void
container_record_launch_after_exec (struct after_exec *writer, const struct hr_config *cfg,
                                    const struct runc_argv *args, const char *bundle,
                                    const struct outcome *out, bool audit,
                                    const char *decision_line)
{
  /* read by the writer after the exec, from the memory it keeps */
  struct record_job *job = hr_xmalloc (sizeof *job);

  *job = (struct record_job){ cfg, args, bundle, out, audit, decision_line };
  after_exec_start (writer, record_job_run, job);
}

/* ---------- start and delete ---------- */

static int command_of (enum runc_command cmd);

struct lifecycle_job
{
  const struct runc_argv *args;
  struct timespec at; /* when the command came, not when its line is written */
};

/* The line of a start or delete, and delete's stamp on the record: what the
 * command did, for the log, once runc has it. */
static void
lifecycle_job_run (void *p)
{
  const struct lifecycle_job *job = p;
  const struct runc_argv *args = job->args;
  struct hr_config cfg;
  struct hr_error err = { 0 };
  struct record_key key;
  cleanup_json struct json *rec = NULL;
  cleanup_json struct json *line_obj = json_new_object ();
  cleanup_free char *line = NULL;
  const char *profile_name;
  bool audit = false;
  char now[64];

  if (config_load (&cfg, &err) < 0)
    {
      /* the runtime ran, so the configuration was readable a moment ago;
         with nothing to log to, there is nothing more to do */
      config_release (&cfg);
      return;
    }
  key = (struct record_key){ cfg.state_dir, container_runc_root (args), args->container_id };
  if (record_load (&key, &rec, &err) < 0)
    rec = NULL; /* a container hardrun did not start, or has forgotten */
  profile_name = json_string (json_object_get (rec, "profile"));
  if (profile_name == NULL)
    profile_name = cfg.default_profile;
  rfc3339_at (&job->at, now, sizeof now);
  json_object_append (line_obj, "time", json_new_string (now));
  json_object_append (line_obj, "command", json_new_string (args->command_name));
  json_object_append (line_obj, "id", json_new_string (args->container_id));
  json_object_append (line_obj, "delegate", json_new_string (cfg.runtime));
  json_object_append (line_obj, "profile", json_new_string (profile_name));
  json_object_append (line_obj, "workload", json_object_get (rec, "workload")
                                                ? json_clone (json_object_get (rec, "workload"))
                                                : json_new_object ());
  if (args->command == CMD_KILL)
    json_object_append (line_obj, "signal", json_new_string (args->second_arg ? args->second_arg : "SIGTERM"));
  /* a command a profile could refuse (none does here): the profile's mode */
  if (command_of (args->command) >= 0)
    {
      struct policy policy;
      if (config_build_profile (&cfg, profile_name, false, &policy, &err) == 0)
        audit = policy.mode == MODE_AUDIT;
      policy_release (&policy);
    }
  if (args->command == CMD_DELETE)
    {
      int64_t created = 0;
      if (json_number_to_i64 (json_object_get (rec, "created"), &created) == 0)
        json_object_append (line_obj, "lifetime_seconds",
                            json_new_uint ((uint64_t) (job->at.tv_sec - created)));
      if (rec != NULL && record_mark_deleted (&key, job->at.tv_sec, &err) < 0)
        json_object_append (line_obj, "record_error", json_new_string (err.msg));
    }
  json_object_append (line_obj, "mode", json_new_string (mode_name (audit ? MODE_AUDIT : MODE_ENFORCE)));
  json_object_append (line_obj, "decision", json_new_string (verdict_name (VERDICT_ALLOW, audit)));
  if (json_write (line_obj, 0, &line, NULL, &err) == 0)
    decision_log_append (cfg.decision_log, line, cfg.syslog, &err);
  config_release (&cfg);
}

/* Exec the runtime; the command's line is written once this process is it. */
static int
exec_then_line (const struct runc_argv *args, const char *runtime, int argc, char *const argv[])
{
  cleanup_free char *msg = NULL;
  struct hr_error err = { 0 };
  struct after_exec writer = { 0 };
  /* read by the writer after the exec, from the memory it keeps */
  struct lifecycle_job *job = hr_xmalloc (sizeof *job);

  job->args = args;
  clock_gettime (CLOCK_REALTIME, &job->at);
  after_exec_start (&writer, lifecycle_job_run, job);
  delegate_exec (runtime, argc, argv, &err);
  after_exec_cancel (&writer);
  msg = hr_xasprintf ("hardrun: %s", err.msg);
  return refusal_report (args, msg);
}

int
container_lifecycle (const struct runc_argv *args, int argc, char *const argv[])
{
  cleanup_free char *runtime = NULL;
  int status;

  if (launch_lean_runtime (args, &runtime, &status) < 0)
    return status;
  return exec_then_line (args, runtime, argc, argv);
}

/* ---------- helpers ---------- */

static int
command_of (enum runc_command cmd)
{
  switch (cmd)
    {
    case CMD_EXEC:
      return ENGINE_EXEC;
    case CMD_CHECKPOINT:
      return ENGINE_CHECKPOINT;
    case CMD_UPDATE:
      return ENGINE_UPDATE;
    case CMD_PAUSE:
      return ENGINE_PAUSE;
    case CMD_RESUME:
      return ENGINE_RESUME;
    case CMD_KILL:
      return ENGINE_KILL;
    default:
      return -1;
    }
}

/* The bundle runc recorded for the container (`runc state`), for a
 * container hardrun has no record of. */
static char *
bundle_from_state (const char *runtime, const struct runc_argv *args)
{
  int fds[2];
  pid_t pid;
  struct hr_buf out = { 0 };
  char buf[4096];
  ssize_t n;
  cleanup_json struct json *state = NULL;
  struct hr_error err;
  char *bundle = NULL;

  if (pipe (fds) < 0)
    return NULL;
  pid = fork ();
  if (pid == 0)
    {
      int devnull = open ("/dev/null", O_RDWR);
      dup2 (fds[1], 1);
      dup2 (devnull, 0);
      dup2 (devnull, 2);
      execl (runtime, runtime, "--root", container_runc_root (args), "state", args->container_id,
             (char *) NULL);
      _exit (127);
    }
  close (fds[1]);
  while (pid > 0 && (n = read (fds[0], buf, sizeof buf)) > 0 && out.len < 1024 * 1024)
    hr_buf_append (&out, buf, (size_t) n);
  close (fds[0]);
  if (pid > 0)
    waitpid (pid, NULL, 0);
  if (out.data != NULL && json_parse (out.data, out.len, 0, &state, &err) == 0
      && json_string (json_object_get (state, "bundle")) != NULL)
    bundle = hr_xstrdup (json_string (json_object_get (state, "bundle")));
  free (out.data);
  return bundle;
}

/* The container's hardened process settings: from its record, else from
 * its bundle's config.json. */
static struct json *
container_process (const struct hr_config *cfg, const struct runc_argv *args,
                   const struct json *rec)
{
  cleanup_free char *bundle = NULL;
  cleanup_close int dirfd = -1;
  struct spec spec;
  struct hr_error err;
  struct json *settings;

  if (json_is (json_object_get (rec, "process"), JSON_OBJECT))
    return json_clone (json_object_get (rec, "process"));
  bundle = bundle_from_state (cfg->runtime, args);
  if (bundle == NULL || (dirfd = open (bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
    return NULL;
  if (spec_load (dirfd, "config.json", SPEC_CONFIG, &spec, &err) < 0)
    {
      spec_release (&spec);
      return NULL;
    }
  settings = process_settings (spec.root);
  spec_release (&spec);
  return settings;
}

/* The new pids limit an update asks for, if any; -2 if it cannot be read. */
static int
update_pids_limit (const struct runc_argv *args, char **stdin_copy, size_t *stdin_len, int64_t *out)
{
  bool found = false;

  for (int i = 0; i < args->n_updates; i++)
    {
      const char *flag = args->update_flags[i];
      const char *value = args->update_values[i];
      if (strcmp (flag, "pids-limit") == 0)
        {
          char *end;
          *out = strtoll (value, &end, 10);
          if (*end != '\0')
            return -2;
          found = true;
        }
      else if (strcmp (flag, "resources,r") == 0)
        {
          cleanup_free char *raw = NULL;
          cleanup_json struct json *res = NULL;
          struct hr_error err;
          struct stat st;
          size_t len = 0;
          const struct json *limit;

          if (strcmp (value, "-") == 0)
            {
              /* runc reads the resources from stdin: read them here and
               * hand runc the same bytes (see container_command) */
              struct hr_buf b = { 0 };
              char buf[8192];
              ssize_t n;
              while ((n = read (0, buf, sizeof buf)) > 0 && b.len <= UPDATE_STDIN_MAX)
                hr_buf_append (&b, buf, (size_t) n);
              if (n < 0 || b.len > UPDATE_STDIN_MAX)
                {
                  free (b.data);
                  return -2;
                }
              *stdin_copy = b.data ? b.data : hr_xstrdup ("");
              *stdin_len = b.len;
              raw = hr_xstrndup (*stdin_copy, b.len);
              len = b.len;
            }
          else if (spec_read_file (AT_FDCWD, value, &raw, &len, &st, &err) < 0)
            return -2;
          if (json_parse (raw, len, 0, &res, &err) < 0)
            return -2;
          limit = json_object_get_field (json_object_get_field (res, "pids"), "limit");
          if (limit != NULL)
            {
              if (json_number_to_i64 (limit, out) < 0)
                return -2;
              found = true;
            }
        }
    }
  return found ? 0 : -1;
}

/* runc reads the resources from stdin: give it what was read, through a pipe. */
static int
refeed_stdin (const char *data, size_t len)
{
  int fds[2];
  pid_t pid;

  if (pipe (fds) < 0)
    return -1;
  pid = fork ();
  if (pid < 0)
    return -1;
  if (pid == 0)
    {
      size_t done = 0;
      close (fds[0]);
      while (done < len)
        {
          ssize_t w = write (fds[1], data + done, len - done);
          if (w <= 0)
            _exit (1);
          done += (size_t) w;
        }
      _exit (0);
    }
  close (fds[1]);
  if (dup2 (fds[0], 0) < 0)
    return -1;
  close (fds[0]);
  return 0;
}

/* ---------- the command ---------- */

int
container_command (const struct runc_argv *args, int argc, char *const argv[])
{
  struct hr_config cfg;
  struct hr_error err = { 0 };
  struct record_key key;
  cleanup_json struct json *rec = NULL;
  cleanup_json struct json *line_obj = json_new_object ();
  struct outcome out = { 0 };
  cleanup_free char *msg = NULL;
  cleanup_free char *line = NULL;
  cleanup_free char *stdin_copy = NULL;
  size_t stdin_len = 0;
  const char *profile_name;
  int engine_cmd = command_of (args->command);
  bool audit;
  char now[64];

  if (config_load (&cfg, &err) < 0)
    {
      msg = hr_xasprintf ("hardrun: invalid configuration, refusing to run any command: %s", err.msg);
      config_release (&cfg);
      return refusal_report (args, msg);
    }
  /* kill, pause, resume that no profile here refuses: decided without the
   * record or a profile, their line written after the exec (as start's) */
  if ((args->command == CMD_KILL || args->command == CMD_PAUSE || args->command == CMD_RESUME)
      && config_command_never_denied (&cfg, (enum engine_command) engine_cmd))
    {
      int status = exec_then_line (args, cfg.runtime, argc, argv);
      config_release (&cfg);
      return status;
    }
  key = (struct record_key){ cfg.state_dir, container_runc_root (args), args->container_id };
  if (record_load (&key, &rec, &err) < 0)
    rec = NULL; /* a container hardrun did not start, or has forgotten */

  profile_name = json_string (json_object_get (rec, "profile"));
  if (profile_name == NULL)
    profile_name = cfg.default_profile;
  out.selection.rule = rec ? "record" : "default_profile";
  /* only the commands a profile can refuse need the profile itself
   * (measured: building it is most of a lifecycle command's own time) */
  if (engine_cmd >= 0)
    {
      if (config_build_profile (&cfg, profile_name, false, &out.policy, &err) < 0)
        {
          policy_release (&out.policy);
          profile_name = cfg.default_profile;
          if (config_build_profile (&cfg, profile_name, false, &out.policy, &err) < 0)
            {
              msg = hr_xasprintf ("hardrun: %s", err.msg);
              goto refuse;
            }
        }
      out.have_policy = true;
    }
  audit = out.have_policy && out.policy.mode == MODE_AUDIT;

  rfc3339_now (now, sizeof now);
  json_object_append (line_obj, "time", json_new_string (now));
  json_object_append (line_obj, "command", json_new_string (args->command_name));
  json_object_append (line_obj, "id", json_new_string (args->container_id));
  json_object_append (line_obj, "delegate", json_new_string (cfg.runtime));
  json_object_append (line_obj, "profile", json_new_string (profile_name));
  json_object_append (line_obj, "workload", json_object_get (rec, "workload")
                                                ? json_clone (json_object_get (rec, "workload"))
                                                : json_new_object ());

  /* the profile's command policy */
  if (out.have_policy && out.policy.command_denied[engine_cmd])
    {
      cleanup_free char *why = hr_xasprintf ("the profile does not allow %s",
                                             engine_command_name ((enum engine_command) engine_cmd));
      cleanup_free char *allow = hr_xasprintf ("profiles.%s.commands.%s = \"allow\"", out.policy.name,
                                               engine_command_name ((enum engine_command) engine_cmd));
      decision_add (&out.decision, DECISION_REFUSAL, "commands", args->command_name, NULL, NULL,
                    why, allow);
    }

  switch (args->command)
    {
    case CMD_KILL:
      json_object_append (line_obj, "signal", json_new_string (args->second_arg ? args->second_arg : "SIGTERM"));
      break;
    case CMD_UPDATE:
      {
        struct json *which = json_new_array ();
        int64_t pids = 0;
        int r;
        for (int i = 0; i < args->n_updates; i++)
          {
            size_t n = strcspn (args->update_flags[i], ",");
            cleanup_free char *name = hr_xstrndup (args->update_flags[i], n);
            json_array_append (which, json_new_string (name));
          }
        json_object_append (line_obj, "resources", which);
        /* a pids limit the profile imposes may not be lifted */
        if (out.policy.pids_limit > 0 && out.policy.actions[CONTROL_RESOURCES] == ACTION_ENFORCE)
          {
            r = update_pids_limit (args, &stdin_copy, &stdin_len, &pids);
            if (r == -2 || (r == 0 && (pids <= 0 || pids > out.policy.pids_limit)))
              {
                cleanup_free char *why = r == -2 ? hr_xstrdup ("cannot read the resources the update sets")
                                                 : hr_xasprintf ("the update lifts the pids limit to %lld, beyond "
                                                                 "the profile's %lld",
                                                                 (long long) pids, (long long) out.policy.pids_limit);
                cleanup_free char *allow = hr_xasprintf ("profiles.%s.resources.pids_limit", out.policy.name);
                decision_add (&out.decision, DECISION_REFUSAL, "resources", "linux.resources.pids.limit",
                              NULL, NULL, why, allow);
              }
          }
        break;
      }
    case CMD_DELETE:
      {
        int64_t created = 0;
        if (json_number_to_i64 (json_object_get (rec, "created"), &created) == 0)
          json_object_append (line_obj, "lifetime_seconds",
                              json_new_uint ((uint64_t) (time (NULL) - created)));
        if (rec != NULL && record_mark_deleted (&key, time (NULL), &err) < 0)
          json_object_append (line_obj, "record_error", json_new_string (err.msg));
        break;
      }
    case CMD_EXEC:
      {
        cleanup_json struct json *own = container_process (&cfg, args, rec);
        if (args->process_file != NULL)
          {
            cleanup_free char *dir_copy = hr_xstrdup (args->process_file);
            cleanup_free char *base_copy = hr_xstrdup (args->process_file);
            cleanup_close int dirfd = open (dirname (dir_copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            const char *name = basename (base_copy);

            if (own == NULL)
              {
                msg = hr_xasprintf ("hardrun: cannot find container %s's own settings to harden its "
                                    "exec (no record, and runc state names no bundle)",
                                    args->container_id);
                goto refuse;
              }
            if (dirfd < 0 || exec_process_decide (own, dirfd, name, &out, &err) < 0)
              {
                msg = hr_xasprintf ("hardrun: cannot apply the policy to the exec's process file %s, "
                                    "the exec was not started: %s",
                                    args->process_file, dirfd < 0 ? strerror (errno) : err.msg);
                goto refuse;
              }
            if (!audit && decision_verdict (&out.decision) == VERDICT_MODIFY
                && spec_write_atomic (dirfd, name, out.new_text, out.new_len, out.spec.mode,
                                      out.spec.uid, out.spec.gid, &err) < 0)
              {
                msg = hr_xasprintf ("hardrun: %s", err.msg);
                goto refuse;
              }
            json_object_append (line_obj, "argv", spec_get (out.spec.root, "args")
                                                      ? json_clone (spec_get (out.spec.root, "args"))
                                                      : json_new_array ());
            json_object_append (line_obj, "user", spec_get (out.spec.root, "user")
                                                      ? json_clone (spec_get (out.spec.root, "user"))
                                                      : json_new_object ());
          }
        else
          {
            /* runc takes the container's own settings; only its flags can
             * add to them */
            struct json *cmd = json_new_array ();
            const struct json *bounding = spec_get (spec_get (own, "capabilities"), "bounding");
            for (int i = 0; i < args->exec_argc; i++)
              json_array_append (cmd, json_new_string (args->exec_argv[i]));
            json_object_append (line_obj, "argv", cmd);
            json_object_append (line_obj, "user", args->exec_user ? json_new_string (args->exec_user)
                                                                  : json_new_null ());
            for (int i = 0; i < args->n_exec_caps; i++)
              {
                bool held = false;
                for (size_t j = 0; json_is (bounding, JSON_ARRAY) && j < bounding->arr.len; j++)
                  held = held || (json_string (bounding->arr.items[j])
                                  && strcmp (json_string (bounding->arr.items[j]), args->exec_caps[i]) == 0);
                if (!held)
                  {
                    cleanup_free char *why = hr_xasprintf ("exec --cap %s: a capability the container "
                                                           "does not have", args->exec_caps[i]);
                    decision_add (&out.decision, DECISION_REFUSAL, "capabilities", "exec --cap", NULL,
                                  NULL, why, NULL);
                  }
              }
            if (args->exec_apparmor && strcmp (args->exec_apparmor, "unconfined") == 0)
              decision_add (&out.decision, DECISION_REFUSAL, "apparmor", "exec --apparmor", NULL, NULL,
                            "exec --apparmor unconfined", NULL);
            if (args->exec_no_new_privs_set && !args->exec_no_new_privs)
              decision_add (&out.decision, DECISION_REFUSAL, "no_new_privileges", "exec --no-new-privs",
                            NULL, NULL, "exec --no-new-privs=false", NULL);
          }
        break;
      }
    default:
      break;
    }

  out.verdict = decision_verdict (&out.decision);
  json_object_append (line_obj, "mode", json_new_string (mode_name (audit ? MODE_AUDIT : MODE_ENFORCE)));
  json_object_append (line_obj, "decision", json_new_string (verdict_name (out.verdict, audit)));
  if (out.decision.len > 0)
    json_object_append (line_obj, "items", decision_items_json (&out.decision));
  if (json_write (line_obj, 0, &line, NULL, &err) < 0)
    line = hr_xstrdup ("{}");

  if (args->command == CMD_EXEC)
    {
      /* the exec's evidence beside the container's: its decision, and the
       * process file as the engine wrote it and as runc gets it */
      unsigned seq = record_next_exec (&key);
      cleanup_free char *p1 = hr_xasprintf ("exec-%u.process.json", seq);
      cleanup_free char *p2 = hr_xasprintf ("exec-%u.hardened.json", seq);
      cleanup_free char *p3 = hr_xasprintf ("exec-%u.decision.json", seq);
      bool with_file = args->process_file != NULL && out.spec.raw != NULL;
      size_t l1 = 0, l2 = 0;
      cleanup_free char *original = with_file ? redacted_text (out.spec.raw, out.spec.raw_len, SPEC_PROCESS, &l1) : NULL;
      cleanup_free char *as_written = with_file ? redacted_text (out.new_text ? out.new_text : out.spec.raw,
                                                                 out.new_text ? out.new_len : out.spec.raw_len,
                                                                 SPEC_PROCESS, &l2)
                                                : NULL;
      if ((with_file && (original == NULL || record_write (&key, p1, original, l1, &err) < 0))
          || (with_file && (as_written == NULL || record_write (&key, p2, as_written, l2, &err) < 0))
          || record_write (&key, p3, line, strlen (line), &err) < 0)
        msg = hr_xasprintf ("hardrun: cannot record the exec, it was not started: %s", err.msg);
    }

  if (decision_log_append (cfg.decision_log, line, cfg.syslog, &err) < 0)
    {
      cleanup_free char *warn = hr_xasprintf ("hardrun: decision log: %s", err.msg);
      if (out.verdict == VERDICT_DENY || msg != NULL)
        ; /* the refusal below says enough */
      else if (args->command == CMD_EXEC)
        msg = hr_xasprintf ("hardrun: cannot record the exec, it was not started: %s", err.msg);
      else
        refusal_warn (args, warn);
    }
  if (msg == NULL && out.verdict == VERDICT_DENY && !audit)
    msg = outcome_refusal_message (&out);
  if (msg != NULL)
    goto refuse;

  outcome_release (&out);
  if (stdin_copy != NULL && refeed_stdin (stdin_copy, stdin_len) < 0)
    {
      msg = hr_xstrdup ("hardrun: cannot hand the update's resources to runc");
      config_release (&cfg);
      return refusal_report (args, msg);
    }
  delegate_exec (cfg.runtime, argc, argv, &err);
  msg = hr_xasprintf ("hardrun: %s", err.msg);
  config_release (&cfg);
  return refusal_report (args, msg);

refuse:
  outcome_release (&out);
  config_release (&cfg);
  return refusal_report (args, msg);
}
