#include "config.h"
#include "configuration.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "spec.h"

static const char *const runtime_candidates[] = {
  "/usr/bin/runc", "/usr/sbin/runc", "/usr/local/bin/runc", "/usr/local/sbin/runc", NULL,
};

const char *
mode_name (enum hr_mode m)
{
  return m == MODE_AUDIT ? "audit" : "enforce";
}

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
apply_file (struct hr_config *c, const struct json *root, const struct source *src,
            bool want_policy, struct hr_error *err)
{
  if (!json_is (root, JSON_OBJECT))
    return hr_error_set (err, 0, "%s:1: the configuration must be a JSON object", src->name);
  for (size_t i = 0; i < root->obj.len; i++)
    {
      const struct json_member *m = &root->obj.members[i];
      const char *s = json_string (m->value);

      if (strcmp (m->key, "runtime") == 0)
        {
          if (s == NULL || s[0] != '/')
            return source_error (src, m->value, m->key, err, "must be an absolute path");
          free (c->runtime);
          c->runtime = hr_xstrdup (s);
        }
      else if (strcmp (m->key, "decision_log") == 0)
        {
          if (s == NULL || s[0] != '/')
            return source_error (src, m->value, m->key, err, "must be an absolute path");
          free (c->decision_log);
          c->decision_log = hr_xstrdup (s);
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
      else if (strcmp (m->key, "policy") == 0)
        {
          if (policy_apply (&c->policy, m->value, src, err) < 0)
            return -1;
        }
      else if (strcmp (m->key, "seccomp_profile") == 0)
        {
          if (s == NULL || s[0] != '/')
            return source_error (src, m->value, m->key, err, "must be an absolute path");
          if (want_policy && policy_load_seccomp_file (&c->policy, s, err) < 0)
            return hr_error_wrap (err, "%s:%u: key \"seccomp_profile\"", src->name,
                                  json_line_of (src->buf, src->len, m->value->offset));
        }
      else
        return source_error (src, m->value, m->key, err, "unknown key");
    }
  return 0;
}

int
config_load (bool want_policy, struct hr_config *out, struct hr_error *err)
{
  const char *env = getenv ("HARDRUN_CONFIG");
  const char *path = (env && *env) ? env : HARDRUN_DEFAULT_CONFIG;
  cleanup_free char *raw = NULL;
  cleanup_json struct json *root = NULL;
  size_t len = 0;
  struct stat st;
  struct hr_error read_err;

  memset (out, 0, sizeof *out);
  out->mode = MODE_ENFORCE;
  out->decision_log = hr_xstrdup (HARDRUN_DEFAULT_DECISION_LOG);
  if (policy_load_defaults (&out->policy, want_policy, err) < 0)
    return -1;

  if (spec_read_file (AT_FDCWD, path, &raw, &len, &st, &read_err) < 0)
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
      if (json_parse (raw, len, JSON_PARSE_COMMENTS, &root, err) < 0)
        return hr_error_wrap (err, "%s", path);
      if (apply_file (out, root, &src, want_policy, err) < 0)
        return -1;
    }

  if (out->runtime == NULL)
    {
      for (const char *const *c = runtime_candidates; *c; c++)
        if (access (*c, X_OK) == 0)
          {
            out->runtime = hr_xstrdup (*c);
            break;
          }
      if (out->runtime == NULL)
        return hr_error_set (err, 0,
                             "no runc found in /usr/bin, /usr/sbin, /usr/local/bin or "
                             "/usr/local/sbin; set \"runtime\" in %s",
                             path);
    }
  if (check_runtime (out->runtime, err) < 0)
    return out->path ? hr_error_wrap (err, "%s: key \"runtime\"", out->path) : -1;

  out->policy_loaded = want_policy;
  if (want_policy)
    policy_finish (&out->policy, raw, len);
  return 0;
}

void
config_release (struct hr_config *c)
{
  free (c->path);
  free (c->runtime);
  free (c->decision_log);
  policy_release (&c->policy);
  memset (c, 0, sizeof *c);
}
