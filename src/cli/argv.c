#include "config.h"
#include "cli/argv.h"

#include <string.h>

#include "base/cleanup.h"

enum flag_kind
{
  FLAG_BOOL,
  FLAG_VALUE,
};

struct flag_def
{
  const char *names; /* comma separated, as urfave/cli declares them */
  enum flag_kind kind;
};

#define HELP_FLAG { "help,h", FLAG_BOOL }
#define END_FLAGS { NULL, FLAG_BOOL }

static const struct flag_def global_flags[] = {
  { "debug", FLAG_BOOL },        { "log", FLAG_VALUE },   { "log-format", FLAG_VALUE },
  { "root", FLAG_VALUE },        { "criu", FLAG_VALUE },  { "systemd-cgroup", FLAG_BOOL },
  { "rootless", FLAG_VALUE },    { "version,v", FLAG_BOOL }, HELP_FLAG, END_FLAGS,
};

static const struct flag_def create_flags[] = {
  { "bundle,b", FLAG_VALUE },   { "console-socket", FLAG_VALUE }, { "pid-file", FLAG_VALUE },
  { "no-pivot", FLAG_BOOL },    { "no-new-keyring", FLAG_BOOL },  { "preserve-fds", FLAG_VALUE },
  HELP_FLAG, END_FLAGS,
};

static const struct flag_def run_flags[] = {
  { "bundle,b", FLAG_VALUE },   { "console-socket", FLAG_VALUE }, { "detach,d", FLAG_BOOL },
  { "keep", FLAG_BOOL },        { "pid-file", FLAG_VALUE },       { "no-subreaper", FLAG_BOOL },
  { "no-pivot", FLAG_BOOL },    { "no-new-keyring", FLAG_BOOL },  { "preserve-fds", FLAG_VALUE },
  HELP_FLAG, END_FLAGS,
};

static const struct flag_def exec_flags[] = {
  { "console-socket", FLAG_VALUE }, { "pidfd-socket", FLAG_VALUE }, { "cwd", FLAG_VALUE },
  { "env,e", FLAG_VALUE },          { "tty,t", FLAG_BOOL },          { "user,u", FLAG_VALUE },
  { "additional-gids,g", FLAG_VALUE }, { "process,p", FLAG_VALUE }, { "detach,d", FLAG_BOOL },
  { "pid-file", FLAG_VALUE },       { "process-label", FLAG_VALUE }, { "apparmor", FLAG_VALUE },
  { "no-new-privs", FLAG_BOOL },    { "cap,c", FLAG_VALUE },         { "preserve-fds", FLAG_VALUE },
  { "cgroup", FLAG_VALUE },         { "ignore-paused", FLAG_BOOL },  HELP_FLAG, END_FLAGS,
};

static const struct flag_def checkpoint_flags[] = {
  { "image-path", FLAG_VALUE },  { "work-path", FLAG_VALUE },     { "parent-path", FLAG_VALUE },
  { "leave-running", FLAG_BOOL }, { "tcp-established", FLAG_BOOL }, { "ext-unix-sk", FLAG_BOOL },
  { "shell-job", FLAG_BOOL },    { "lazy-pages", FLAG_BOOL },     { "status-fd", FLAG_VALUE },
  { "page-server", FLAG_VALUE }, { "file-locks", FLAG_BOOL },     { "pre-dump", FLAG_BOOL },
  { "manage-cgroups-mode", FLAG_VALUE }, { "empty-ns", FLAG_VALUE }, { "auto-dedup", FLAG_BOOL },
  HELP_FLAG, END_FLAGS,
};

static const struct flag_def restore_flags[] = {
  { "console-socket", FLAG_VALUE }, { "image-path", FLAG_VALUE },  { "work-path", FLAG_VALUE },
  { "tcp-established", FLAG_BOOL }, { "ext-unix-sk", FLAG_BOOL },  { "shell-job", FLAG_BOOL },
  { "file-locks", FLAG_BOOL },      { "manage-cgroups-mode", FLAG_VALUE },
  { "bundle,b", FLAG_VALUE },       { "detach,d", FLAG_BOOL },     { "pid-file", FLAG_VALUE },
  { "no-subreaper", FLAG_BOOL },    { "no-pivot", FLAG_BOOL },     { "empty-ns", FLAG_VALUE },
  { "auto-dedup", FLAG_BOOL },      { "lazy-pages", FLAG_BOOL },   { "lsm-profile", FLAG_VALUE },
  { "lsm-mount-context", FLAG_VALUE }, HELP_FLAG, END_FLAGS,
};

static const struct flag_def delete_flags[] = { { "force,f", FLAG_BOOL }, HELP_FLAG, END_FLAGS };
static const struct flag_def events_flags[] = {
  { "interval", FLAG_VALUE }, { "stats", FLAG_BOOL }, HELP_FLAG, END_FLAGS,
};
static const struct flag_def kill_flags[] = { { "all,a", FLAG_BOOL }, HELP_FLAG, END_FLAGS };
static const struct flag_def list_flags[] = {
  { "format,f", FLAG_VALUE }, { "quiet,q", FLAG_BOOL }, HELP_FLAG, END_FLAGS,
};
static const struct flag_def ps_flags[] = { { "format,f", FLAG_VALUE }, HELP_FLAG, END_FLAGS };
static const struct flag_def spec_flags[] = {
  { "bundle,b", FLAG_VALUE }, { "rootless", FLAG_BOOL }, HELP_FLAG, END_FLAGS,
};
static const struct flag_def update_flags[] = {
  { "resources,r", FLAG_VALUE },   { "blkio-weight", FLAG_VALUE },   { "cpu-period", FLAG_VALUE },
  { "cpu-quota", FLAG_VALUE },     { "cpu-share", FLAG_VALUE },      { "cpu-rt-period", FLAG_VALUE },
  { "cpu-rt-runtime", FLAG_VALUE }, { "cpuset-cpus", FLAG_VALUE },   { "cpuset-mems", FLAG_VALUE },
  { "kernel-memory", FLAG_VALUE }, { "kernel-memory-tcp", FLAG_VALUE }, { "memory", FLAG_VALUE },
  { "memory-reservation", FLAG_VALUE }, { "memory-swap", FLAG_VALUE }, { "pids-limit", FLAG_VALUE },
  { "l3-cache-schema", FLAG_VALUE }, { "mem-bw-schema", FLAG_VALUE }, HELP_FLAG, END_FLAGS,
};
static const struct flag_def help_only_flags[] = { HELP_FLAG, END_FLAGS };
static const struct flag_def no_flags[] = { END_FLAGS };

struct command_def
{
  const char *canonical;
  const char *names; /* canonical name and aliases, comma separated */
  enum runc_command cmd;
  const struct flag_def *flags;
  bool skip_reorder; /* exec: arguments after the id are the command's own */
};

static const struct command_def commands[] = {
  { "checkpoint", "checkpoint", CMD_CHECKPOINT, checkpoint_flags, false },
  { "create", "create", CMD_CREATE, create_flags, false },
  { "delete", "delete", CMD_DELETE, delete_flags, false },
  { "events", "events", CMD_EVENTS, events_flags, false },
  { "exec", "exec", CMD_EXEC, exec_flags, true },
  { "features", "features", CMD_FEATURES, help_only_flags, false },
  { "help", "help,h", CMD_HELP, no_flags, false },
  { "init", "init", CMD_INIT, help_only_flags, false },
  { "kill", "kill", CMD_KILL, kill_flags, false },
  { "list", "list", CMD_LIST, list_flags, false },
  { "pause", "pause", CMD_PAUSE, help_only_flags, false },
  { "ps", "ps", CMD_PS, ps_flags, false },
  { "restore", "restore", CMD_RESTORE, restore_flags, false },
  { "resume", "resume", CMD_RESUME, help_only_flags, false },
  { "run", "run", CMD_RUN, run_flags, false },
  { "spec", "spec", CMD_SPEC, spec_flags, false },
  { "start", "start", CMD_START, help_only_flags, false },
  { "state", "state", CMD_STATE, help_only_flags, false },
  { "update", "update", CMD_UPDATE, update_flags, false },
  { NULL, NULL, CMD_UNKNOWN, NULL, false },
};

static bool
names_contain (const char *names, const char *name, size_t name_len)
{
  const char *p = names;
  while (*p)
    {
      size_t n = strcspn (p, ",");
      if (n == name_len && memcmp (p, name, n) == 0)
        return true;
      p += n;
      if (*p == ',')
        p++;
    }
  return false;
}

static const struct flag_def *
find_flag (const struct flag_def *flags, const char *name, size_t len)
{
  for (const struct flag_def *f = flags; f->names; f++)
    if (names_contain (f->names, name, len))
      return f;
  return NULL;
}

/* The canonical (first) name of a flag. */
static bool
flag_is (const struct flag_def *f, const char *canonical)
{
  size_t n = strcspn (f->names, ",");
  return strlen (canonical) == n && memcmp (f->names, canonical, n) == 0;
}

/* urfave/cli's argIsFlag: "-x", "--x", "-x=v" naming a declared flag. */
static bool
arg_is_flag (const struct flag_def *flags, const char *arg)
{
  const char *name;
  size_t len;

  if (arg[0] != '-' || strcmp (arg, "-") == 0 || strcmp (arg, "--") == 0)
    return false;
  /* strings.Replace(arg, "-", "", 2) on "--x", then one more on "-x" */
  name = arg + (arg[1] == '-' ? 2 : 1);
  if (arg[1] == '-' && name[0] == '-')
    name++;
  len = strcspn (name, "=");
  return find_flag (flags, name, len) != NULL;
}

/* urfave/cli v1's reorderArgs: flags (with their values) first. */
static void
reorder_args (const struct flag_def *flags, int argc, char *const argv[], const char **out)
{
  int nflags = 0, nrest = 0;
  const char **rest = hr_xcalloc ((size_t) argc + 1, sizeof *rest);
  bool may_be_value = false;

  for (int i = 0; i < argc; i++)
    {
      const char *arg = argv[i];
      if (may_be_value && !arg_is_flag (flags, arg))
        {
          may_be_value = false;
          out[nflags++] = arg;
        }
      else if (strcmp (arg, "--") == 0)
        {
          for (; i < argc; i++)
            rest[nrest++] = argv[i];
          break;
        }
      else if (arg_is_flag (flags, arg))
        {
          out[nflags++] = arg;
          if (strchr (arg, '=') == NULL)
            may_be_value = true;
        }
      else
        rest[nrest++] = arg;
    }
  memcpy (out + nflags, rest, (size_t) nrest * sizeof *rest);
  free (rest);
}

static int
parse_bool (const char *s, bool *out)
{
  static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
  static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };
  for (size_t i = 0; i < 6; i++)
    {
      if (strcmp (s, yes[i]) == 0)
        return *out = true, 0;
      if (strcmp (s, no[i]) == 0)
        return *out = false, 0;
    }
  return -1;
}

typedef void (*flag_sink) (struct runc_argv *out, const struct flag_def *f, const char *value,
                           bool bool_value);

/* Go's flag.FlagSet.Parse: returns the index of the first non-flag argument. */
static int
go_flag_parse (const struct flag_def *flags, int argc, const char *const args[],
               struct runc_argv *out, flag_sink sink, const char *where, struct hr_error *err)
{
  int i = 0;

  while (i < argc)
    {
      const char *s = args[i];
      const char *name, *eq;
      size_t name_len;
      const struct flag_def *f;
      int minuses = 1;

      if (strlen (s) < 2 || s[0] != '-')
        return i;
      if (s[1] == '-')
        {
          minuses = 2;
          if (s[2] == '\0')
            return i + 1; /* "--" ends the flags */
        }
      name = s + minuses;
      if (name[0] == '\0' || name[0] == '-' || name[0] == '=')
        return hr_error_set (err, 0, "%s: bad flag syntax: %s", where, s);
      i++;
      eq = strchr (name + 1, '=');
      name_len = eq ? (size_t) (eq - name) : strlen (name);
      f = find_flag (flags, name, name_len);
      if (f == NULL)
        {
          if ((name_len == 4 && memcmp (name, "help", 4) == 0)
              || (name_len == 1 && name[0] == 'h'))
            {
              out->command_help = true; /* Go's flag package prints usage */
              return i;
            }
          return hr_error_set (err, 0, "%s: flag provided but not defined: -%.*s", where,
                               (int) name_len, name);
        }
      if (f->kind == FLAG_BOOL)
        {
          bool v = true;
          if (eq && parse_bool (eq + 1, &v) < 0)
            return hr_error_set (err, 0, "%s: invalid boolean value \"%s\" for -%.*s", where,
                                 eq + 1, (int) name_len, name);
          sink (out, f, NULL, v);
        }
      else
        {
          const char *value;
          if (eq)
            value = eq + 1;
          else if (i < argc)
            value = args[i++];
          else
            return hr_error_set (err, 0, "%s: flag needs an argument: -%.*s", where,
                                 (int) name_len, name);
          sink (out, f, value, false);
        }
    }
  return i;
}

static void
global_sink (struct runc_argv *out, const struct flag_def *f, const char *value, bool b)
{
  if (flag_is (f, "debug"))
    out->debug = b;
  else if (flag_is (f, "log"))
    out->log = value;
  else if (flag_is (f, "log-format"))
    out->log_format = value;
  else if (flag_is (f, "root"))
    out->root = value;
  else if (flag_is (f, "criu"))
    out->criu = value;
  else if (flag_is (f, "systemd-cgroup"))
    out->systemd_cgroup = b;
  else if (flag_is (f, "rootless"))
    out->rootless = value;
  else if (flag_is (f, "version"))
    out->global_version = b;
  else if (flag_is (f, "help"))
    out->global_help = b;
}

static void
command_sink (struct runc_argv *out, const struct flag_def *f, const char *value, bool b)
{
  if (flag_is (f, "bundle"))
    out->bundle = value;
  else if (flag_is (f, "process"))
    out->process_file = value;
  else if (flag_is (f, "preserve-fds"))
    out->preserve_fds = value;
  else if (flag_is (f, "help"))
    out->command_help = b;
  else if (out->command == CMD_EXEC)
    {
      if (flag_is (f, "cap") && out->n_exec_caps < RUNC_ARGV_MAX_CAPS)
        out->exec_caps[out->n_exec_caps++] = value;
      else if (flag_is (f, "cap"))
        out->too_many_flags = true;
      else if (flag_is (f, "cgroup"))
        out->exec_cgroup = value;
      else if (flag_is (f, "apparmor"))
        out->exec_apparmor = value;
      else if (flag_is (f, "process-label"))
        out->exec_process_label = value;
      else if (flag_is (f, "user"))
        out->exec_user = value;
      else if (flag_is (f, "no-new-privs"))
        {
          out->exec_no_new_privs_set = true;
          out->exec_no_new_privs = b;
        }
    }
  else if (out->command == CMD_UPDATE && value != NULL && out->n_updates < RUNC_ARGV_MAX_UPDATES)
    {
      /* the canonical flag name, without its aliases */
      out->update_flags[out->n_updates] = f->names;
      out->update_values[out->n_updates++] = value;
    }
  else if (out->command == CMD_UPDATE && value != NULL)
    out->too_many_flags = true;
}

const char *
runc_command_name (enum runc_command cmd)
{
  for (const struct command_def *c = commands; c->names; c++)
    if (c->cmd == cmd)
      return c->canonical;
  return cmd == CMD_NONE ? "" : "unknown";
}

int
runc_argv_parse (int argc, char *const argv[], struct runc_argv *out, struct hr_error *err)
{
  cleanup_free const char **args = NULL;
  const struct command_def *def;
  int first, n, used;

  memset (out, 0, sizeof *out);
  out->command_index = -1;
  out->command = CMD_NONE;
  if (argc < 1)
    return 0;
  out->argv0 = argv[0];

  n = argc - 1;
  args = hr_xcalloc ((size_t) argc + 1, sizeof *args);
  for (int i = 0; i < n; i++)
    args[i] = argv[i + 1];

  first = go_flag_parse (global_flags, n, args, out, global_sink, "runc", err);
  if (first < 0)
    return -1;
  if (out->global_help || out->global_version || first >= n)
    return 0; /* urfave/cli answers these before looking at a subcommand */

  out->command_index = first + 1;
  out->command_name = args[first];
  for (def = commands; def->names; def++)
    if (names_contain (def->names, args[first], strlen (args[first])))
      break;
  out->command = def->cmd;
  if (def->names == NULL)
    return 0;

  {
    int rest = n - first - 1;
    const char *const *cmd_args = args + first + 1;
    cleanup_free const char **ordered = hr_xcalloc ((size_t) rest + 1, sizeof *ordered);
    if (def->skip_reorder)
      memcpy (ordered, cmd_args, (size_t) rest * sizeof *ordered);
    else
      reorder_args (def->flags, rest, (char *const *) cmd_args, ordered);
    used = go_flag_parse (def->flags, rest, ordered, out, command_sink, args[first], err);
    if (used < 0)
      return -1;
    out->positional_count = rest - used;
    if (used < rest && !out->command_help)
      out->container_id = ordered[used];
    if (used + 1 < rest && !out->command_help)
      {
        out->second_arg = ordered[used + 1];
        /* exec keeps its argv in place (no reordering): the command is the
         * tail of the caller's own argv */
        if (def->skip_reorder)
          {
            out->exec_argv = (const char *const *) argv + 1 + first + 1 + used + 1;
            out->exec_argc = rest - used - 1;
          }
      }
  }
  return 0;
}

char **
runc_argv_replace (int argc, char *const argv[], const char *value, const char *replacement)
{
  char **copy = hr_xcalloc ((size_t) argc + 1, sizeof *copy);
  int at = -1;

  for (int i = 0; i < argc; i++)
    {
      size_t n = strlen (argv[i]);
      if (value >= argv[i] && value <= argv[i] + n)
        at = i;
    }
  if (at < 0)
    {
      free (copy);
      return NULL;
    }
  for (int i = 0; i < argc; i++)
    copy[i] = hr_xstrdup (argv[i]);
  free (copy[at]);
  copy[at] = hr_xasprintf ("%.*s%s", (int) (value - argv[at]), argv[at], replacement);
  return copy;
}

char **
runc_argv_insert (int argc, char *const argv[], const char *before, const struct json *items, int *new_argc)
{
  int at = -1, n = json_is (items, JSON_ARRAY) ? (int) items->arr.len : 0, k = 0;
  char **copy;

  for (int i = 0; i < argc && at < 0; i++)
    if (argv[i] == before)
      at = i;
  if (at < 0)
    return NULL;
  copy = hr_xcalloc ((size_t) (argc + n) + 1, sizeof *copy);
  for (int i = 0; i < argc; i++)
    {
      if (i == at)
        for (int j = 0; j < n; j++)
          copy[k++] = hr_xstrdup (json_string (items->arr.items[j]) ? json_string (items->arr.items[j]) : "");
      copy[k++] = hr_xstrdup (argv[i]);
    }
  *new_argc = k;
  return copy;
}

void
runc_argv_free (char **argv)
{
  for (size_t i = 0; argv != NULL && argv[i] != NULL; i++)
    free (argv[i]);
  free (argv);
}
