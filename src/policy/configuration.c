#include "config.h"
#include "policy/configuration.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "spec/spec.h"

static const char *const runtime_candidates[] = {
  "/usr/bin/runc", "/usr/sbin/runc", "/usr/local/bin/runc", "/usr/local/sbin/runc", NULL,
};

/* Profiles deeper than this in "base" chains are refused (and so are cycles). */
#define MAX_PROFILE_DEPTH 8

/* The delegate must be a real runtime, never hardrun again. */
static int
check_runtime (const char *path, struct hr_error *err)
{
  struct stat rt, self;

  if (stat (path, &rt) < 0)
    return hr_error_set (err, errno, "runtime %s", path);
  if (!S_ISREG (rt.st_mode) || access (path, X_OK) < 0)
    return hr_error_set (err, 0, "runtime %s is not an executable file", path);
  if (stat ("/proc/self/exe", &self) == 0 && self.st_dev == rt.st_dev && self.st_ino == rt.st_ino)
    return hr_error_set (err, 0, "runtime %s is hardrun itself; set \"runtime\" to the real runc",
                         path);
  return 0;
}

static int
read_abs_path (const struct json *v, const struct source *src, const char *key, char **out,
               struct hr_error *err)
{
  const char *s = json_string (v);
  if (s == NULL || s[0] != '/')
    return source_error (src, v, key, err, "must be an absolute path");
  free (*out);
  *out = hr_xstrdup (s);
  return 0;
}

/* ---------- profiles ---------- */

/* The built-in profiles, compiled in as read-only trees (their source text
 * is kept for error messages, which name a line). */
static const struct json *
builtin_profile (const char *name, struct source *src)
{
  if (strcmp (name, "default") == 0)
    {
      *src = (struct source){ "built-in profile default", hr_embedded_default, hr_embedded_default_len };
      return hr_embedded_default_tree;
    }
  if (strcmp (name, "restricted") == 0)
    {
      *src = (struct source){ "built-in profile restricted", hr_embedded_restricted,
                              hr_embedded_restricted_len };
      return hr_embedded_restricted_tree;
    }
  return NULL;
}

static const struct json *
file_profile (const struct hr_config *c, const char *name)
{
  return json_object_get (json_object_get (c->root, "profiles"), name);
}

static int
build_profile (const struct hr_config *c, const char *name, int depth, struct policy *out,
               struct hr_error *err)
{
  struct source builtin_src, file_src = { c->path, c->text, c->text_len };
  const struct json *builtin_tree = builtin_profile (name, &builtin_src);
  bool builtin = builtin_tree != NULL;
  const struct json *file_body = file_profile (c, name);
  const char *base = NULL;
  cleanup_free char *prefix = hr_xasprintf ("profiles.%s", name);

  if (depth > MAX_PROFILE_DEPTH)
    return hr_error_set (err, 0, "%s: key \"profiles.%s.base\": the chain of bases is too deep "
                                 "or circular",
                         c->path ? c->path : "configuration", name);
  if (!builtin && file_body == NULL)
    return hr_error_set (err, 0, "%s: no profile named \"%s\" (built in: default, restricted)",
                         c->path ? c->path : "configuration", name);

  base = json_string (json_object_get (file_body, "base"));
  if (base == NULL)
    base = json_string (json_object_get (builtin_tree, "base"));
  if (base == NULL && strcmp (name, "default") != 0)
    base = "default";

  if (base != NULL)
    {
      if (build_profile (c, base, depth + 1, out, err) < 0)
        return -1;
      free (out->name);
      out->name = hr_xstrdup (name);
    }
  else
    policy_init (out, name);

  if (builtin && policy_apply (out, builtin_tree, &builtin_src, prefix, err) < 0)
    return -1;
  if (file_body != NULL && policy_apply (out, file_body, &file_src, prefix, err) < 0)
    return -1;
  return 0;
}

/* hardrun's own state (records: what a later exec is judged against) and
 * its decision log are never bind sources, whatever a profile allows. */
static void
protect_own_paths (const struct hr_config *c, struct policy *p)
{
  const char *own[] = { c->state_dir, c->decision_log };
  struct string_list *l = &p->protected_paths;

  l->items = hr_xcalloc (3, sizeof *l->items);
  for (size_t i = 0; i < 2; i++)
    if (own[i] != NULL)
      l->items[l->len++] = hr_xstrdup (own[i]);
}

int
config_build_profile (const struct hr_config *c, const char *name, bool with_seccomp,
                      struct policy *out, struct hr_error *err)
{
  memset (out, 0, sizeof *out);
  if (build_profile (c, name, 0, out, err) < 0)
    return -1;
  /* A workload in an audit-mode configuration is audited whatever its profile. */
  if (c->mode == MODE_AUDIT)
    out->mode = MODE_AUDIT;
  protect_own_paths (c, out);
  if (with_seccomp && policy_load_seccomp (out, err) < 0)
    return -1;
  policy_finish (out, c->text, c->text_len);
  return 0;
}

static bool
denies (const struct json *profile, const char *command)
{
  const char *v = json_string (json_object_get (json_object_get (profile, "commands"), command));
  return v != NULL && strcmp (v, "deny") == 0;
}

bool
config_command_never_denied (const struct hr_config *c, enum engine_command cmd)
{
  const char *name = engine_command_name (cmd);
  const struct json *profiles = json_object_get (c->root, "profiles");

  /* every profile is a built-in one or based on one */
  if (denies (hr_embedded_default_tree, name) || denies (hr_embedded_restricted_tree, name))
    return false;
  for (size_t i = 0; json_is (profiles, JSON_OBJECT) && i < profiles->obj.len; i++)
    if (denies (profiles->obj.members[i].value, name))
      return false;
  return true;
}

static bool
profile_exists (const struct hr_config *c, const char *name)
{
  struct source unused;
  return builtin_profile (name, &unused) || file_profile (c, name) != NULL;
}

/* ---------- selection rules ---------- */

static int
parse_rule (struct hr_config *c, const struct json *v, size_t index, const struct source *src,
            struct rule *r, struct hr_error *err)
{
  cleanup_free char *key = hr_xasprintf ("selection[%zu]", index);

  if (!json_is (v, JSON_OBJECT))
    return source_error (src, v, key, err, "must be an object");
  r->name = hr_xstrdup (key);
  for (size_t i = 0; i < v->obj.len; i++)
    {
      const struct json_member *m = &v->obj.members[i];
      cleanup_free char *sub = hr_xasprintf ("%s.%s", key, m->key);
      const char *s = json_string (m->value);

      if (strcmp (m->key, "name") == 0)
        {
          if (s == NULL)
            return source_error (src, m->value, sub, err, "must be a string");
          free (r->name);
          r->name = hr_xstrdup (s);
        }
      else if (strcmp (m->key, "profile") == 0)
        {
          if (s == NULL)
            return source_error (src, m->value, sub, err, "must be a profile name");
          if (!profile_exists (c, s))
            return source_error (src, m->value, sub, err, "no such profile");
          free (r->profile);
          r->profile = hr_xstrdup (s);
        }
      else if (strcmp (m->key, "allow_request") == 0)
        {
          if (!json_is (m->value, JSON_ARRAY))
            return source_error (src, m->value, sub, err, "must be an array of profile names");
          string_list_release (&r->allow_request);
          r->allow_request.items = hr_xcalloc (m->value->arr.len + 1, sizeof (char *));
          for (size_t j = 0; j < m->value->arr.len; j++)
            {
              const char *p = json_string (m->value->arr.items[j]);
              if (p == NULL || !profile_exists (c, p))
                return source_error (src, m->value->arr.items[j], sub, err, "no such profile");
              r->allow_request.items[r->allow_request.len++] = hr_xstrdup (p);
            }
        }
      else if (strcmp (m->key, "match") == 0)
        {
          if (!json_is (m->value, JSON_OBJECT))
            return source_error (src, m->value, sub, err, "must be an object");
          for (size_t j = 0; j < m->value->obj.len; j++)
            {
              const struct json_member *mm = &m->value->obj.members[j];
              cleanup_free char *mkey = hr_xasprintf ("%s.%s", sub, mm->key);
              const char *pattern = json_string (mm->value);
              int f;

              if (strcmp (mm->key, "annotations") == 0)
                {
                  if (!json_is (mm->value, JSON_OBJECT))
                    return source_error (src, mm->value, mkey, err, "must be an object of patterns");
                  for (size_t k = 0; k < mm->value->obj.len; k++)
                    if (json_string (mm->value->obj.members[k].value) == NULL)
                      return source_error (src, mm->value->obj.members[k].value, mkey, err,
                                           "patterns must be strings");
                  r->annotations = mm->value;
                  continue;
                }
              for (f = 0; f < WL_FIELD_COUNT; f++)
                if (strcmp (workload_field_name ((enum workload_field) f), mm->key) == 0)
                  break;
              if (f == WL_FIELD_COUNT)
                return source_error (src, mm->value, mkey, err,
                                     "unknown field (namespace, pod, pod_uid, container, name, "
                                     "container_type, image, sandbox_id, manager, hostname, "
                                     "annotations)");
              if (pattern == NULL)
                return source_error (src, mm->value, mkey, err, "must be a pattern string");
              free (r->patterns[f]);
              r->patterns[f] = hr_xstrdup (pattern);
            }
        }
      else
        return source_error (src, m->value, sub, err, "unknown key");
    }
  if (r->profile == NULL)
    return source_error (src, v, key, err, "a rule needs a \"profile\"");
  return 0;
}

static bool
rule_matches (const struct rule *r, const struct workload *wl)
{
  for (int f = 0; f < WL_FIELD_COUNT; f++)
    if (r->patterns[f] != NULL
        && (wl->fields[f] == NULL || fnmatch (r->patterns[f], wl->fields[f], 0) != 0))
      return false;
  for (size_t k = 0; r->annotations != NULL && k < r->annotations->obj.len; k++)
    {
      const struct json_member *m = &r->annotations->obj.members[k];
      const char *v = json_string (json_object_get (wl->annotations, m->key));
      if (v == NULL || fnmatch (json_string (m->value), v, 0) != 0)
        return false;
    }
  return true;
}

int
config_select_profile (const struct hr_config *c, const struct workload *wl,
                       struct selection *out, struct hr_error *err)
{
  const struct rule *r = NULL;
  const char *asked = wl->requested_profile;

  for (size_t i = 0; i < c->n_rules && r == NULL; i++)
    if (rule_matches (&c->rules[i], wl))
      r = &c->rules[i];

  out->profile = r ? r->profile : c->default_profile;
  out->rule = r ? r->name : "default_profile";
  out->requested = false;
  if (asked == NULL || strcmp (asked, out->profile) == 0)
    return 0;
  /* Only the operator's rules let a workload pick its own profile. */
  for (size_t i = 0; r != NULL && i < r->allow_request.len; i++)
    if (strcmp (r->allow_request.items[i], asked) == 0)
      {
        out->profile = r->allow_request.items[i];
        out->requested = true;
        return 0;
      }
  if (r != NULL)
    return hr_error_set (err, 0,
                         "the workload asks for profile \"%s\" (annotation %s), which selection "
                         "rule \"%s\" does not allow; add it to that rule's \"allow_request\" in "
                         "%s, or remove the annotation",
                         asked, WORKLOAD_PROFILE_ANNOTATION, r->name,
                         c->path ? c->path : HARDRUN_DEFAULT_CONFIG);
  return hr_error_set (err, 0,
                       "the workload asks for profile \"%s\" (annotation %s), but no selection "
                       "rule matches it; add a rule with \"allow_request\" in %s, or remove the "
                       "annotation",
                       asked, WORKLOAD_PROFILE_ANNOTATION, c->path ? c->path : HARDRUN_DEFAULT_CONFIG);
}

/* ---------- the file ---------- */

/* "records": the bounds of what state_dir keeps. */
static int
apply_records (struct hr_config *c, const struct json *v, const struct source *src, struct hr_error *err)
{
  if (!json_is (v, JSON_OBJECT))
    return source_error (src, v, "records", err, "must be an object");
  for (size_t j = 0; j < v->obj.len; j++)
    {
      const struct json_member *b = &v->obj.members[j];
      cleanup_free char *key = hr_xasprintf ("records.%s", b->key);
      int64_t n;
      int64_t *slot = strcmp (b->key, "max_count") == 0      ? &c->records.max_count
                      : strcmp (b->key, "max_age_days") == 0 ? &c->records.max_age_days
                      : strcmp (b->key, "max_bytes") == 0    ? &c->records.max_bytes
                                                             : NULL;
      if (slot == NULL)
        return source_error (src, b->value, key, err, "unknown key (max_count, max_age_days, max_bytes)");
      if (json_number_to_i64 (b->value, &n) < 0 || n < 0)
        return source_error (src, b->value, key, err, "must be a non-negative integer");
      *slot = n;
    }
  return 0;
}

/* "selection": the rules, in order. */
static int
apply_selection (struct hr_config *c, const struct json *v, const struct source *src, struct hr_error *err)
{
  if (!json_is (v, JSON_ARRAY))
    return source_error (src, v, "selection", err, "must be an array of rules");
  c->rules = hr_xcalloc (v->arr.len + 1, sizeof *c->rules);
  for (size_t j = 0; j < v->arr.len; j++, c->n_rules++)
    if (parse_rule (c, v->arr.items[j], j, src, &c->rules[j], err) < 0)
      {
        c->n_rules++;
        return -1;
      }
  return 0;
}

/* Every profile the file defines must build: an error anywhere refuses
 * every launch, not just the launches that would have used it. */
static int
build_every_profile (struct hr_config *c, struct hr_error *err)
{
  const struct json *profiles = json_object_get (c->root, "profiles");

  for (size_t i = 0; profiles != NULL && i < profiles->obj.len; i++)
    {
      struct policy p = { 0 }; /* released also when its base is missing */
      int r = build_profile (c, profiles->obj.members[i].key, 0, &p, err);
      policy_release (&p);
      if (r < 0)
        return -1;
    }
  return 0;
}

static int
apply_file (struct hr_config *c, const struct source *src, struct hr_error *err)
{
  const struct json *root = c->root;

  if (!json_is (root, JSON_OBJECT))
    return hr_error_set (err, 0, "%s:1: the configuration must be a JSON object", src->name);
  for (size_t i = 0; i < root->obj.len; i++)
    {
      const struct json_member *m = &root->obj.members[i];
      const char *s = json_string (m->value);

      if (strcmp (m->key, "runtime") == 0)
        {
          if (read_abs_path (m->value, src, m->key, &c->runtime, err) < 0)
            return -1;
        }
      else if (strcmp (m->key, "decision_log") == 0)
        {
          if (read_abs_path (m->value, src, m->key, &c->decision_log, err) < 0)
            return -1;
        }
      else if (strcmp (m->key, "state_dir") == 0 || strcmp (m->key, "learned_dir") == 0
               || strcmp (m->key, "init") == 0)
        {
          char **slot = m->key[0] == 's' ? &c->state_dir : m->key[0] == 'l' ? &c->learned_dir : &c->init;
          if (read_abs_path (m->value, src, m->key, slot, err) < 0)
            return -1;
        }
      else if (strcmp (m->key, "records") == 0)
        {
          if (apply_records (c, m->value, src, err) < 0)
            return -1;
        }
      else if (strcmp (m->key, "syslog") == 0)
        {
          if (!json_is (m->value, JSON_BOOL))
            return source_error (src, m->value, m->key, err, "must be true or false");
          c->syslog = m->value->boolean;
        }
      else if (strcmp (m->key, "mode") == 0)
        {
          if (s != NULL && strcmp (s, "enforce") == 0)
            c->mode = MODE_ENFORCE;
          else if (s != NULL && strcmp (s, "audit") == 0)
            c->mode = MODE_AUDIT;
          else
            return source_error (src, m->value, m->key, err, "must be \"enforce\" or \"audit\"");
        }
      else if (strcmp (m->key, "default_profile") == 0)
        {
          if (s == NULL || !profile_exists (c, s))
            return source_error (src, m->value, m->key, err, "must name a profile");
          free (c->default_profile);
          c->default_profile = hr_xstrdup (s);
        }
      else if (strcmp (m->key, "profiles") == 0)
        {
          if (!json_is (m->value, JSON_OBJECT))
            return source_error (src, m->value, m->key, err, "must be an object of profiles");
        }
      else if (strcmp (m->key, "selection") == 0)
        {
          if (apply_selection (c, m->value, src, err) < 0)
            return -1;
        }
      else
        return source_error (src, m->value, m->key, err, "unknown key");
    }

  return build_every_profile (c, err);
}

static char *
default_runtime (void)
{
  for (const char *const *c = runtime_candidates; *c; c++)
    if (access (*c, X_OK) == 0)
      return hr_xstrdup (*c);
  return NULL;
}

/* The configuration decides what every container may do, so whoever can
 * write it is root: it may be reached through symlinks (a ConfigMap's
 * ..data links, an /etc alternative), but the file and the directory it
 * lies in must be owned by root (or the caller) and writable by no one
 * else. */
static int
config_read (const char *path, char **raw, size_t *len, struct stat *st, struct hr_error *err)
{
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  char link[64], real[PATH_MAX];
  ssize_t n;
  char *slash;
  struct stat dst;

  if (fd < 0)
    return hr_error_set (err, errno, "open %s", path);
  if (spec_read_fd (fd, path, raw, len, st, err) < 0)
    return -1;
  if ((st->st_uid != 0 && st->st_uid != geteuid ()) || (st->st_mode & (S_IWGRP | S_IWOTH)) != 0)
    return hr_error_set (err, EPERM, "%s must be owned by root and writable by no one else", path);
  /* where it really is, symlinks followed: the file open now */
  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  n = readlink (link, real, sizeof real - 1);
  if (n <= 0)
    return hr_error_set (err, errno, "cannot tell where %s is", path);
  real[n] = '\0';
  slash = strrchr (real, '/');
  if (slash == NULL)
    return hr_error_set (err, 0, "cannot tell where %s is", path);
  *slash = '\0';
  if (stat (real[0] ? real : "/", &dst) < 0)
    return hr_error_set (err, errno, "stat %s", real[0] ? real : "/");
  if ((dst.st_uid != 0 && dst.st_uid != geteuid ())
      || ((dst.st_mode & (S_IWGRP | S_IWOTH)) != 0 && !(dst.st_mode & S_ISVTX)))
    return hr_error_set (err, EPERM, "the directory of %s (%s) must be owned by root and writable by no one else",
                         path, real[0] ? real : "/");
  return 0;
}

int
config_runtime (char **out, struct hr_error *err)
{
  const char *env = getenv ("HARDRUN_CONFIG");
  const char *path = (env && *env) ? env : HARDRUN_DEFAULT_CONFIG;
  cleanup_free char *raw = NULL;
  cleanup_json struct json *root = NULL;
  size_t len = 0;
  struct stat st;
  struct hr_error read_err;
  const char *named = NULL;

  *out = NULL;
  if (config_read (path, &raw, &len, &st, &read_err) == 0
      && json_parse (raw, len, JSON_PARSE_COMMENTS, &root, &read_err) == 0)
    named = json_string (json_object_get (root, "runtime"));
  *out = named != NULL && named[0] == '/' ? hr_xstrdup (named) : default_runtime ();
  if (*out == NULL)
    return hr_error_set (err, 0, "no runc found; set \"runtime\" in %s", path);
  return check_runtime (*out, err);
}

int
config_load (struct hr_config *out, struct hr_error *err)
{
  const char *env = getenv ("HARDRUN_CONFIG");
  const char *path = (env && *env) ? env : HARDRUN_DEFAULT_CONFIG;
  cleanup_free char *raw = NULL;
  size_t len = 0;
  struct stat st;
  struct hr_error read_err;

  memset (out, 0, sizeof *out);
  out->mode = MODE_ENFORCE;
  out->decision_log = hr_xstrdup (HARDRUN_DEFAULT_DECISION_LOG);
  out->state_dir = hr_xstrdup (HARDRUN_DEFAULT_STATE_DIR);
  out->learned_dir = hr_xstrdup (HARDRUN_DEFAULT_LEARNED_DIR);
  out->init = hr_xstrdup (HARDRUN_DEFAULT_INIT);
  out->records = (struct record_bounds){ 1000, 30, 256 * 1024 * 1024 };
  out->default_profile = hr_xstrdup ("default");

  if (config_read (path, &raw, &len, &st, &read_err) < 0)
    {
      /* No file at the default place: the built-in configuration applies. */
      if (!(read_err.code == ENOENT && !(env && *env)))
        {
          *err = read_err;
          return hr_error_wrap (err, "configuration");
        }
    }
  else
    {
      struct source src = { path, raw, len };
      out->path = hr_xstrdup (path);
      if (json_parse (raw, len, JSON_PARSE_COMMENTS, &out->root, err) < 0)
        return hr_error_wrap (err, "%s", path);
      out->text = steal_pointer (&raw);
      out->text_len = len;
      src.buf = out->text;
      if (apply_file (out, &src, err) < 0)
        return -1;
    }

  if (out->runtime == NULL)
    {
      out->runtime = default_runtime ();
      if (out->runtime == NULL)
        return hr_error_set (err, 0,
                             "no runc found in /usr/bin, /usr/sbin, /usr/local/bin or "
                             "/usr/local/sbin; set \"runtime\" in %s",
                             path);
    }
  if (check_runtime (out->runtime, err) < 0)
    return out->path ? hr_error_wrap (err, "%s: key \"runtime\"", out->path) : -1;
  return 0;
}

void
config_release (struct hr_config *c)
{
  free (c->path);
  free (c->text);
  json_free (c->root);
  free (c->runtime);
  free (c->decision_log);
  free (c->state_dir);
  free (c->learned_dir);
  free (c->init);
  free (c->default_profile);
  for (size_t i = 0; i < c->n_rules; i++)
    {
      free (c->rules[i].name);
      for (int f = 0; f < WL_FIELD_COUNT; f++)
        free (c->rules[i].patterns[f]);
      free (c->rules[i].profile);
      string_list_release (&c->rules[i].allow_request);
    }
  free (c->rules);
  memset (c, 0, sizeof *c);
}
