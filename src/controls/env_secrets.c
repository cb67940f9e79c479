/* Secrets in the environment: names that say so, values shaped like known
 * credentials. The decision carries the variable's name, never its value. */
#include "config.h"

#include <ctype.h>
#include <fnmatch.h>
#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "policy/policy.h"
#include "spec/spec.h"

static bool
all_of (const char *s, size_t n, const char *set)
{
  for (size_t i = 0; i < n; i++)
    if (s[i] == '\0' || strchr (set, s[i]) == NULL)
      return false;
  return true;
}

#define UPPER_DIGITS "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

/* What kind of credential the value looks like, or NULL. */
static const char *
credential_shape (const char *v)
{
  size_t n = strlen (v);

  for (size_t i = 0; i + 20 <= n; i++)
    {
      const char *p = v + i;
      if ((strncmp (p, "AKIA", 4) == 0 || strncmp (p, "ASIA", 4) == 0)
          && all_of (p + 4, 16, UPPER_DIGITS) && (i + 20 == n || !isalnum ((unsigned char) p[20])))
        return "an AWS access key id";
    }
  for (size_t i = 0; i + 40 <= n; i++)
    {
      const char *p = v + i;
      if (p[0] == 'g' && p[1] == 'h' && strchr ("pousr", p[2]) && p[3] == '_' && all_of (p + 4, 36, ALNUM))
        return "a GitHub token";
    }
  if (strstr (v, "github_pat_") != NULL)
    return "a GitHub token";
  if (strstr (v, "-----BEGIN") != NULL && strstr (v, "PRIVATE KEY-----") != NULL)
    return "a PEM private key";
  return NULL;
}

int
control_env_secrets (struct control_ctx *ctx, struct hr_error *err)
{
  const struct json *env = spec_get_path (ctx->spec, "process", "env", NULL);

  for (size_t i = 0; json_is (env, JSON_ARRAY) && i < env->arr.len; i++)
    {
      const char *entry = json_string (env->arr.items[i]);
      const char *eq = entry ? strchr (entry, '=') : NULL;
      cleanup_free char *name = NULL;
      const char *why = NULL;

      if (eq == NULL)
        continue;
      name = hr_xstrndup (entry, (size_t) (eq - entry));
      for (size_t k = 0; k < ctx->policy->secret_names.len && why == NULL; k++)
        if (fnmatch (ctx->policy->secret_names.items[k], name, FNM_CASEFOLD) == 0)
          why = "its name says it holds a secret";
      if (why == NULL)
        why = credential_shape (eq + 1);
      if (why != NULL)
        {
          cleanup_free char *path = hr_xasprintf ("process.env[%zu]", i);
          cleanup_free char *msg = hr_xasprintf ("environment variable %s carries %s%s: pass "
                                                 "secrets as files or through a secret store",
                                                 name,
                                                 strncmp (why, "its name", 8) == 0 ? "" : "what looks like ",
                                                 strncmp (why, "its name", 8) == 0 ? "a secret" : why);
          cleanup_json struct json *value = json_new_string (name); /* the name only */
          control_refuse (ctx, path, value, msg, NULL);
        }
    }
  return 0;
}
