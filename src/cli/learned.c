/* `hardrun learned`: the learned profiles of this node and the operator's
 * directory: list, show, diff, promote, import, export. */
#include "config.h"
#include "cli/verbs.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/cleanup.h"
#include "controls/seccomp_profile.h"
#include "host/hostfacts.h"
#include "learn/filter.h"
#include "learn/learned.h"
#include "learn/store.h"
#include "policy/configuration.h"
#include "spec/spec.h"

static const char usage[] =
    "usage: hardrun learned list [--json]          the learned profiles: name, state, syscalls\n"
    "       hardrun learned show [--json] NAME     what NAME saw: syscalls, paths written, execs\n"
    "       hardrun learned diff NAME [OTHER]      + only in NAME, - only in OTHER (default:\n"
    "                                              hardrun's seccomp profile)\n"
    "       hardrun learned promote NAME           enforce NAME from the next launch on\n"
    "       hardrun learned import [--merge] FILE  a profile another node exported (--merge:\n"
    "                                              add its sightings to this node's)\n"
    "       hardrun learned export NAME            an OCI seccomp profile for Docker, podman\n"
    "                                              and Kubernetes, importable here\n";

struct learned_cli
{
  struct hr_config cfg;
  struct learned_store store;
  struct hr_error err;
};

static int
fail (struct learned_cli *c, const char *what)
{
  fprintf (stderr, "hardrun learned: %s%s%s\n", what ? what : "", what ? ": " : "", c->err.msg);
  return 1;
}

static int
load (struct learned_cli *c, const char *name, struct json **doc, enum learned_origin *origin)
{
  int r = learned_store_load (&c->store, name, doc, origin, &c->err);
  if (r == 1)
    hr_error_set (&c->err, 0, "no learned profile %s (hardrun learned list)", name);
  return r == 0 ? 0 : -1;
}

static int
print_json (struct learned_cli *c, const struct json *v, unsigned flags)
{
  cleanup_free char *text = NULL;
  if (json_write (v, flags, &text, NULL, &c->err) < 0)
    return fail (c, NULL);
  puts (text);
  return 0;
}

/* A recorded or imported string as text a terminal shows, whatever the
 * workload or the file put in it (caller frees). */
static char *
escaped (const char *s)
{
  struct hr_buf b = { 0 };

  for (; s != NULL && *s != '\0'; s++)
    {
      unsigned char c = (unsigned char) *s;
      if (c < 0x20 || c == 0x7f || c == '\\')
        hr_buf_printf (&b, "\\x%02x", c);
      else
        hr_buf_append (&b, s, 1);
    }
  hr_buf_append (&b, "", 0);
  return b.data ? b.data : hr_xstrdup ("");
}

/* A key field, escaped (caller frees). */
static char *
key_string (const struct json *doc, const char *field)
{
  const char *s = json_string (json_object_get (json_object_get (doc, "key"), field));
  return escaped (s ? s : "-");
}

static unsigned long long
count_of (const struct json *v)
{
  uint64_t n = 0;
  json_number_to_u64 (v, &n);
  return (unsigned long long) n;
}

static struct json *
list_entry (const struct json *doc, enum learned_origin origin)
{
  struct json *o = json_new_object ();

  json_object_append (o, "name", json_new_string (learned_name (doc)));
  json_object_append (o, "state", json_new_string (learned_promoted (doc) ? "promoted" : "recording"));
  json_object_append (o, "syscalls", json_new_uint (learned_count (doc, LEARNED_SYSCALLS)));
  json_object_append (o, "runs", json_new_uint ((uint64_t) learned_int (doc, "runs")));
  json_object_append (o, "quiet_runs", json_new_uint ((uint64_t) learned_int (doc, "quiet_runs")));
  json_object_append (o, "origin", json_new_string (origin == LEARNED_FROM_OPERATOR ? "operator" : "node"));
  json_object_append (o, "image", json_clone (json_object_get (json_object_get (doc, "key"), "image")));
  json_object_append (o, "digest", json_clone (json_object_get (json_object_get (doc, "key"), "digest")));
  json_object_append (o, "profile", json_clone (json_object_get (json_object_get (doc, "key"), "profile")));
  return o;
}

static int
cmd_list (struct learned_cli *c, bool as_json)
{
  char **names = NULL;
  size_t n = 0;
  cleanup_json struct json *all = json_new_array ();
  int status = 0;

  if (learned_store_names (&c->store, &names, &n, &c->err) < 0)
    return fail (c, NULL);
  for (size_t i = 0; i < n; i++)
    {
      cleanup_json struct json *doc = NULL;
      enum learned_origin origin;
      if (load (c, names[i], &doc, &origin) < 0)
        status = fail (c, names[i]);
      else
        json_array_append (all, list_entry (doc, origin));
      free (names[i]);
    }
  free (names);
  if (as_json)
    return print_json (c, all, 0) || status;
  printf ("%-40s %-10s %8s %5s %-8s %s\n", "NAME", "STATE", "SYSCALLS", "RUNS", "ORIGIN", "IMAGE");
  for (size_t i = 0; i < all->arr.len; i++)
    {
      const struct json *e = all->arr.items[i];
      cleanup_free char *image = escaped (json_string (json_object_get (e, "image")));
      printf ("%-40s %-10s %8llu %5llu %-8s %s\n", json_string (json_object_get (e, "name")),
              json_string (json_object_get (e, "state")), count_of (json_object_get (e, "syscalls")),
              count_of (json_object_get (e, "runs")), json_string (json_object_get (e, "origin")),
              image[0] ? image : "-");
    }
  return status;
}

static void
show_section (const struct json *doc, enum learned_section s, const char *title)
{
  const struct json *sec = learned_section (doc, s);

  printf ("%s (%zu):\n", title, sec->obj.len);
  for (size_t i = 0; i < sec->obj.len; i++)
    {
      const struct json *v = sec->obj.members[i].value;
      cleanup_free char *item = escaped (sec->obj.members[i].key);
      printf ("  %-32s %10llu  %s .. %s\n", item, count_of (json_object_get (v, "count")),
              json_string (json_object_get (v, "first")), json_string (json_object_get (v, "last")));
    }
}

static int
cmd_show (struct learned_cli *c, const char *name, bool as_json)
{
  cleanup_json struct json *doc = NULL;
  enum learned_origin origin;

  if (load (c, name, &doc, &origin) < 0)
    return fail (c, NULL);
  if (as_json)
    return print_json (c, doc, JSON_WRITE_PRETTY);
  printf ("name: %s\nstate: %s\nruns: %lld (%lld without anything new)\norigin: %s\n", name,
          learned_promoted (doc) ? "promoted" : "recording", (long long) learned_int (doc, "runs"),
          (long long) learned_int (doc, "quiet_runs"), origin == LEARNED_FROM_OPERATOR ? "operator" : "node");
  {
    static const char *const fields[] = { "image", "digest", "profile", "rule", "arch", "runtime_version" };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
      {
        cleanup_free char *v = key_string (doc, fields[i]);
        printf ("%s: %s\n", fields[i], v);
      }
  }
  show_section (doc, LEARNED_SYSCALLS, "syscalls");
  show_section (doc, LEARNED_WRITTEN, "directories written");
  show_section (doc, LEARNED_EXECS, "binaries executed");
  return 0;
}

static int
promote_doc (struct json **doc, void *arg, struct hr_error *err)
{
  (void) arg;
  if (*doc == NULL)
    return hr_error_set (err, 0, "no such learned profile on this node");
  learned_set_promoted (*doc, true);
  return 0;
}

static int
cmd_promote (struct learned_cli *c, const char *name)
{
  cleanup_json struct json *doc = NULL;
  enum learned_origin origin;

  if (load (c, name, &doc, &origin) < 0)
    return fail (c, NULL);
  if (origin == LEARNED_FROM_OPERATOR)
    {
      hr_error_set (&c->err, 0, "%s comes from the operator's directory %s, which hardrun only reads", name,
                    c->store.operator_dir);
      return fail (c, NULL);
    }
  if (learned_store_change (&c->store, name, promote_doc, NULL, &c->err) < 0)
    return fail (c, name);
  return 0;
}

/* The policy's seccomp profile for the learned profile's own profile,
 * resolved with the capabilities that profile keeps. */
static int
resolved_profile (struct learned_cli *c, const struct json *doc, struct json **out)
{
  const char *profile = json_string (json_object_get (json_object_get (doc, "key"), "profile"));
  struct policy policy = { 0 };
  struct host_facts host = { 0 };
  int r;

  if (config_build_profile (&c->cfg, profile ? profile : c->cfg.default_profile, true, &policy, &c->err) < 0)
    {
      policy_release (&policy);
      return -1;
    }
  r = host_facts_probe (&host, &c->err);
  if (r == 0)
    r = seccomp_profile_resolve (policy.seccomp_profile, &policy.cap_allow, &host, policy.seccomp_compat_arches,
                                 policy.seccomp_builtin, out, &c->err);
  host_facts_release (&host);
  policy_release (&policy);
  return r;
}

static int
cmd_export (struct learned_cli *c, const char *name)
{
  cleanup_json struct json *doc = NULL;
  cleanup_json struct json *resolved = NULL;
  cleanup_json struct json *out = NULL;
  enum learned_origin origin;

  if (load (c, name, &doc, &origin) < 0 || resolved_profile (c, doc, &resolved) < 0)
    return fail (c, name);
  out = learn_filter_export (doc, resolved);
  return print_json (c, out, JSON_WRITE_PRETTY);
}

/* The syscalls a learned profile saw. */
static int
diff_side (struct learned_cli *c, const char *name, struct json **names)
{
  cleanup_json struct json *doc = NULL;
  enum learned_origin origin;

  if (load (c, name, &doc, &origin) < 0)
    return -1;
  *names = json_clone (learned_section (doc, LEARNED_SYSCALLS));
  return 0;
}

/* A learned profile against hardrun's: what it allows of it, floor included. */
static int
diff_profile (struct learned_cli *c, const struct json *doc, struct json **mine, struct json **theirs)
{
  cleanup_json struct json *resolved = NULL;

  if (resolved_profile (c, doc, &resolved) < 0)
    return -1;
  *mine = learn_allowed_names (doc, resolved);
  *theirs = learn_profile_names (resolved);
  return 0;
}

static bool
side_has (const struct json *side, const char *name)
{
  return json_is (side, JSON_ARRAY) ? json_array_has_string (side, name) : json_object_get (side, name) != NULL;
}

static size_t
side_len (const struct json *side)
{
  return json_is (side, JSON_ARRAY) ? side->arr.len : side->obj.len;
}

static const char *
side_name (const struct json *side, size_t i)
{
  return json_is (side, JSON_ARRAY) ? json_string (side->arr.items[i]) : side->obj.members[i].key;
}

static int
cmd_diff (struct learned_cli *c, const char *name, const char *other)
{
  cleanup_json struct json *doc = NULL;
  cleanup_json struct json *mine = NULL;
  cleanup_json struct json *theirs = NULL;
  enum learned_origin origin;
  size_t only_mine = 0, only_theirs = 0;

  if (load (c, name, &doc, &origin) < 0)
    return fail (c, NULL);
  if (other != NULL ? diff_side (c, name, &mine) < 0 || diff_side (c, other, &theirs) < 0
                    : diff_profile (c, doc, &mine, &theirs) < 0)
    return fail (c, NULL);
  for (size_t i = 0; i < side_len (mine); i++)
    if (!side_has (theirs, side_name (mine, i)) && ++only_mine)
      printf ("+ %s\n", side_name (mine, i));
  for (size_t i = 0; i < side_len (theirs); i++)
    if (!side_has (mine, side_name (theirs, i)) && ++only_theirs)
      printf ("- %s\n", side_name (theirs, i));
  printf ("%s: %zu syscalls, %zu only here; %s: %zu, %zu only there\n", name, side_len (mine), only_mine,
          other ? other : "hardrun's profile", side_len (theirs), only_theirs);
  return 0;
}

/* A file `export` wrote (the document under "hardrun"), or a document. */
static int
read_import (struct learned_cli *c, const char *file, struct json **doc)
{
  cleanup_free char *raw = NULL;
  cleanup_json struct json *v = NULL;
  struct stat st;
  size_t len;

  if (spec_read_file (AT_FDCWD, file, &raw, &len, &st, &c->err) < 0 || json_parse (raw, len, 0, &v, &c->err) < 0)
    return -1;
  *doc = json_clone (learned_unwrap (v));
  if (learned_check (*doc, &c->err) < 0)
    return hr_error_wrap (&c->err, "%s", file);
  return 0;
}

/* The sightings of both, the runs of both, promoted if either is. */
static int
merge_doc (struct json **doc, void *arg, struct hr_error *err)
{
  const struct json *imported = arg;

  (void) err;
  if (*doc == NULL)
    {
      *doc = json_clone (imported);
      return 0;
    }
  learned_merge (*doc, imported);
  json_object_set (*doc, "runs", json_new_uint ((uint64_t) (learned_int (*doc, "runs") + learned_int (imported, "runs"))));
  if (learned_promoted (imported))
    learned_set_promoted (*doc, true);
  return 0;
}

static int
cmd_import (struct learned_cli *c, const char *file, bool merge)
{
  cleanup_json struct json *doc = NULL;

  if (read_import (c, file, &doc) < 0)
    return fail (c, file);
  if (merge ? learned_store_change (&c->store, learned_name (doc), merge_doc, doc, &c->err) < 0
            : learned_store_put (&c->store, doc, &c->err) < 0)
    return fail (c, learned_name (doc));
  return 0;
}

static int
dispatch (struct learned_cli *c, int argc, char *const argv[])
{
  const char *cmd = argc > 1 ? argv[1] : "";
  bool as_json = argc > 2 && strcmp (argv[2], "--json") == 0;
  int rest = argc - 2 - as_json;
  char *const *args = argv + 2 + as_json;

  if (strcmp (cmd, "list") == 0 && rest == 0)
    return cmd_list (c, as_json);
  if (strcmp (cmd, "show") == 0 && rest == 1)
    return cmd_show (c, args[0], as_json);
  if (as_json)
    rest = -1;
  if (strcmp (cmd, "diff") == 0 && (rest == 1 || rest == 2))
    return cmd_diff (c, args[0], rest == 2 ? args[1] : NULL);
  if (strcmp (cmd, "promote") == 0 && rest == 1)
    return cmd_promote (c, args[0]);
  if (strcmp (cmd, "export") == 0 && rest == 1)
    return cmd_export (c, args[0]);
  if (strcmp (cmd, "import") == 0 && rest == 1)
    return cmd_import (c, args[0], false);
  if (strcmp (cmd, "import") == 0 && rest == 2 && strcmp (args[0], "--merge") == 0)
    return cmd_import (c, args[1], true);
  fputs (usage, strcmp (cmd, "--help") == 0 ? stdout : stderr);
  return strcmp (cmd, "--help") == 0 ? 0 : 2;
}

int
learned_main (int argc, char *const argv[])
{
  struct learned_cli c = { 0 };
  int status;

  if (config_load (&c.cfg, &c.err) < 0)
    {
      fprintf (stderr, "hardrun learned: invalid configuration: %s\n", c.err.msg);
      config_release (&c.cfg);
      return 2;
    }
  c.store = (struct learned_store){ c.cfg.state_dir, c.cfg.learned_dir };
  status = dispatch (&c, argc, argv);
  config_release (&c.cfg);
  return status;
}
