/* exec: the process runc starts in a running container gets no more than
 * the container has. A --process file is cut to the container's own
 * settings (decide/exec_process.h) and written back (or, given through a
 * symlink, /dev/fd or /dev/stdin, read once and handed to runc as judged);
 * exec's flags that
 * would add to them are refused. The exec's evidence joins the container's
 * record; an exec that cannot be recorded does not start. */
#include "config.h"
#include "cli/verbs.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "agent/agent.h"
#include "base/cleanup.h"
#include "cli/container.h"
#include "controls/control.h"
#include "decide/exec_process.h"
#include "learn/lookup.h"
#include "record/container_record.h"
#include "runtime/delegate.h"
#include "runtime/runc_state.h"
#include "spec/spec.h"

/* The container's hardened process settings: from its record, else from
 * the config.json of the bundle runc names. */
static struct json *
container_process (const struct container_call *c)
{
  cleanup_free char *bundle = NULL;
  cleanup_close int dirfd = -1;
  struct spec spec;
  struct hr_error err;
  struct json *settings;

  if (json_is (json_object_get (c->rec, "process"), JSON_OBJECT))
    return json_clone (json_object_get (c->rec, "process"));
  bundle = runc_state_bundle (c->cfg.runtime, c->call->args->root, c->call->args->container_id);
  if (bundle == NULL || (dirfd = open (bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
    return NULL;
  if (spec_load (dirfd, "config.json", SPEC_CONFIG, &spec, &err) < 0)
    {
      spec_release (&spec);
      return NULL;
    }
  settings = record_process_settings (spec.root);
  spec_release (&spec);
  return settings;
}

static struct json *
clone_or (const struct json *v, struct json *fallback)
{
  if (v == NULL)
    return fallback;
  json_free (fallback);
  return json_clone (v);
}

/* A process file given through a symlink, /dev/fd/N or /dev/stdin: read
 * once, as runc would read it, and runc gets what was judged (a sealed
 * memfd in the flag's place), not the path again. -1 with err. */
static int
judge_process_stream (struct container_call *c, const struct json *own, struct hr_error *err)
{
  const struct runc_argv *args = c->call->args;
  cleanup_close int fd = open (args->process_file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  char *raw = NULL;
  size_t len = 0;
  unsigned long preserved = args->preserve_fds ? strtoul (args->preserve_fds, NULL, 10) : 0;
  bool changed;
  int handed;
  char at[64];

  if (fd < 0)
    return hr_error_set (err, errno, "open %s", args->process_file);
  if (spec_read_stream (fd, args->process_file, &raw, &len, err) < 0
      || exec_process_decide_bytes (own, raw, len, &c->out, err) < 0)
    return -1;
  /* above the fds runc hands the process (3 .. 3+N-1) */
  if (preserved > 65536)
    return hr_error_set (err, 0, "--preserve-fds %s is more than hardrun hands on", args->preserve_fds);
  changed = !c->audit && decision_verdict (&c->out.decision) == VERDICT_MODIFY;
  handed = delegate_file_from (changed ? c->out.new_text : c->out.spec.raw, changed ? c->out.new_len : c->out.spec.raw_len,
                               3 + (int) preserved, err);
  if (handed < 0)
    return -1;
  snprintf (at, sizeof at, "/proc/self/fd/%d", handed);
  c->argv = runc_argv_replace (c->call->argc, c->call->argv, args->process_file, at);
  c->argc = c->call->argc;
  return c->argv != NULL ? 0 : hr_error_set (err, 0, "cannot find --process in the command line");
}

/* A process file that is a plain file in its directory: decided and
 * written back in place. -1 with err. */
static int
judge_process_in_place (struct container_call *c, const struct json *own, int dirfd, const char *name,
                        struct hr_error *err)
{
  if (exec_process_decide (own, dirfd, name, &c->out, err) < 0)
    return -1;
  if (!c->audit && decision_verdict (&c->out.decision) == VERDICT_MODIFY)
    return spec_write_atomic (dirfd, name, c->out.new_text, c->out.new_len, c->out.spec.mode, c->out.spec.uid,
                              c->out.spec.gid, err);
  return 0;
}

/* The command the exec asked for: the line names it, not hardrun-init's
 * ruleset in front of it. */
static struct json *
logged_args (const struct json *args)
{
  struct json *inner = landlock_unwrapped_args (args);

  return inner ? inner : clone_or (args, json_new_array ());
}

/* exec --process FILE: decide the file and give runc the decided one.
 * -1 with c->msg. */
static int
judge_process_file (struct container_call *c, const struct json *own)
{
  const char *file = c->call->args->process_file;
  cleanup_free char *dir_copy = hr_xstrdup (file);
  cleanup_free char *base_copy = hr_xstrdup (file);
  cleanup_close int dirfd = open (dirname (dir_copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const char *name = basename (base_copy);
  struct hr_error err = { 0 };
  struct stat st;
  int r;

  if (own == NULL)
    {
      c->msg = hr_xasprintf ("hardrun: cannot find container %s's own settings to harden its "
                             "exec (no record, and runc state names no bundle)",
                             c->call->args->container_id);
      return -1;
    }
  if (dirfd >= 0 && fstatat (dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG (st.st_mode))
    r = judge_process_in_place (c, own, dirfd, name, &err);
  else
    r = judge_process_stream (c, own, &err);
  if (r < 0)
    {
      c->msg = hr_xasprintf ("hardrun: cannot apply the policy to the exec's process file %s, "
                             "the exec was not started: %s",
                             file, err.msg);
      return -1;
    }
  json_object_append (c->line, "argv", logged_args (spec_get (c->out.spec.root, "args")));
  json_object_append (c->line, "user", clone_or (spec_get (c->out.spec.root, "user"), json_new_object ()));
  return 0;
}

static void
refuse (struct container_call *c, const char *control, const char *field, const char *why)
{
  decision_add (&c->out.decision, DECISION_REFUSAL, control, field, NULL, NULL, why, NULL);
}

/* runc exec without --process reads the bundle's config.json as it is now:
 * one rewritten since create must not give the exec more than the
 * container has (its record says what that is). */
static void
judge_current_config (struct container_call *c, const struct json *own)
{
  cleanup_free char *bundle = NULL;
  cleanup_close int dirfd = -1;
  cleanup_free char *widens = NULL;
  cleanup_json struct json *now = NULL;
  struct spec spec = { 0 };
  struct hr_error err;

  if (!json_is (json_object_get (c->rec, "process"), JSON_OBJECT))
    return; /* own came from that config itself */
  /* the bundle the record keeps is the one runc state names: no need to
   * run runc for it */
  bundle = json_string (json_object_get (c->rec, "bundle"))
               ? hr_xstrdup (json_string (json_object_get (c->rec, "bundle")))
               : runc_state_bundle (c->cfg.runtime, c->call->args->root, c->call->args->container_id);
  if (bundle == NULL || (dirfd = open (bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0
      || spec_load (dirfd, "config.json", SPEC_CONFIG, &spec, &err) < 0)
    {
      spec_release (&spec);
      refuse (c, "capabilities", "config.json",
              "cannot read the bundle's config.json, which runc exec takes the process from");
      return;
    }
  now = record_process_settings (spec.root);
  spec_release (&spec);
  widens = exec_process_widens (own, now);
  if (widens != NULL)
    {
      cleanup_free char *why = hr_xasprintf ("the bundle's config.json changed since create, and runc exec "
                                             "would take its process: %s",
                                             widens);
      refuse (c, "capabilities", "config.json process", why);
    }
}

/* The flags that pick another cgroup, AppArmor profile or SELinux label. */
static void
judge_placement (struct container_call *c, const struct json *own)
{
  const struct runc_argv *args = c->call->args;
  const char *own_aa = json_string (spec_get (own, "apparmorProfile"));
  const char *own_se = json_string (spec_get (own, "selinuxLabel"));

  if (args->exec_cgroup != NULL)
    for (const char *p = args->exec_cgroup; (p = strstr (p, "..")) != NULL; p += 2)
      if ((p == args->exec_cgroup || p[-1] == '/' || p[-1] == ':') && (p[2] == '\0' || p[2] == '/'))
        {
          refuse (c, "cgroups", "exec --cgroup", "exec --cgroup leaves the container's cgroup (..)");
          break;
        }
  if (args->exec_apparmor && (strcmp (args->exec_apparmor, "unconfined") == 0
                              || (own_aa != NULL && strcmp (args->exec_apparmor, own_aa) != 0)))
    refuse (c, "apparmor", "exec --apparmor", "exec --apparmor: not the container's own profile");
  if (args->exec_process_label && (own_se == NULL || strcmp (args->exec_process_label, own_se) != 0))
    refuse (c, "selinux", "exec --process-label", "exec --process-label: not the container's own label");
  if (args->too_many_flags)
    refuse (c, "capabilities", "exec --cap", "more --cap flags than hardrun judges (64)");
}

/* exec without --process: the command goes behind the container's
 * hardrun-init and ruleset, as a process file's args do. */
static void
exec_behind_init (struct container_call *c, const struct json *own)
{
  const struct runc_argv *args = c->call->args;
  const struct json *prefix = spec_get (own, "init");

  if (!json_is (prefix, JSON_ARRAY) || args->exec_argc == 0 || c->audit)
    return;
  c->argv = runc_argv_insert (c->call->argc, c->call->argv, args->exec_argv[0], prefix, &c->argc);
  if (c->argv == NULL)
    refuse (c, "landlock", "exec", "cannot put the exec behind the container's Landlock ruleset");
  else
    decision_add (&c->out.decision, DECISION_CHANGE, "landlock", "exec", NULL, NULL,
                  "the exec runs behind the container's Landlock ruleset", NULL);
}

/* exec without --process: runc takes the container's own settings; only
 * its flags can add to them. */
static void
judge_flags (struct container_call *c, const struct json *own)
{
  const struct runc_argv *args = c->call->args;
  const struct json *bounding = spec_get (spec_get (own, "capabilities"), "bounding");
  struct json *cmd = json_new_array ();

  for (int i = 0; i < args->exec_argc; i++)
    json_array_append (cmd, json_new_string (args->exec_argv[i]));
  json_object_append (c->line, "argv", cmd);
  json_object_append (c->line, "user", args->exec_user ? json_new_string (args->exec_user) : json_new_null ());
  for (int i = 0; i < args->n_exec_caps; i++)
    if (!json_array_has_string (bounding, args->exec_caps[i]))
      {
        cleanup_free char *why = hr_xasprintf ("exec --cap %s: a capability the container does not have",
                                               args->exec_caps[i]);
        decision_add (&c->out.decision, DECISION_REFUSAL, "capabilities", "exec --cap", NULL, NULL, why,
                      NULL);
      }
  judge_current_config (c, own);
  exec_behind_init (c, own);
  if (args->exec_no_new_privs_set && !args->exec_no_new_privs)
    decision_add (&c->out.decision, DECISION_REFUSAL, "no_new_privileges", "exec --no-new-privs", NULL,
                  NULL, "exec --no-new-privs=false", NULL);
}

/* Write the redacted copy of a process file into the record. */
static int
record_process_file (struct container_call *c, const char *name, const char *text, size_t len,
                     struct hr_error *err)
{
  size_t l = 0;
  cleanup_free char *redacted = record_redacted_text (text, len, SPEC_PROCESS, &l);

  if (redacted == NULL)
    return hr_error_set (err, 0, "cannot copy the process file into the record");
  return record_write (&c->key, name, redacted, l, err);
}

/* The exec's evidence beside the container's: its decision, and the
 * process file as the engine wrote it and as runc gets it. */
static void
record_evidence (struct container_call *c)
{
  unsigned seq = record_next_exec (&c->key);
  cleanup_free char *p1 = hr_xasprintf ("exec-%u.process.json", seq);
  cleanup_free char *p2 = hr_xasprintf ("exec-%u.hardened.json", seq);
  cleanup_free char *p3 = hr_xasprintf ("exec-%u.decision.json", seq);
  bool with_file = c->call->args->process_file != NULL && c->out.spec.raw != NULL;
  const struct outcome *o = &c->out;
  struct hr_error err = { 0 };

  if ((with_file && record_process_file (c, p1, o->spec.raw, o->spec.raw_len, &err) < 0)
      || (with_file
          && record_process_file (c, p2, o->new_text ? o->new_text : o->spec.raw,
                                  o->new_text ? o->new_len : o->spec.raw_len, &err)
                 < 0)
      || record_write (&c->key, p3, c->line_text, strlen (c->line_text), &err) < 0)
    c->msg = hr_xasprintf ("hardrun: cannot record the exec, it was not started: %s", err.msg);
}

/* runc exec hands the new process's filter to the container's seccomp
 * agent, and waits on it forever when the agent has died: refused here,
 * with the reason, instead. */
static void
judge_agent (struct container_call *c)
{
  cleanup_free char *sock = learned_agent_socket (c->cfg.state_dir, runc_root (c->call->args->root),
                                                  c->call->args->container_id);

  if (agent_listening (sock) == AGENT_GONE)
    refuse (c, "learning", "linux.seccomp.listenerPath",
            "the container's seccomp agent has died: its notified syscalls fail with ENOSYS and runc "
            "exec would wait on it forever; restart the container");
}

int
verb_exec (const struct verb_call *call)
{
  struct container_call c = { 0 };
  cleanup_json struct json *own = NULL;
  int status;

  if (container_call_begin (&c, call, &status) < 0)
    return status;
  own = container_process (&c);
  if (call->args->process_file != NULL && judge_process_file (&c, own) < 0)
    return container_call_refuse (&c);
  if (call->args->process_file == NULL)
    judge_flags (&c, own);
  judge_placement (&c, own);
  judge_agent (&c);
  container_call_seal (&c);
  record_evidence (&c);
  c.lost_line_refuses = true;
  return container_call_end (&c);
}
