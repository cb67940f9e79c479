#include "config.h"
#include "controls/host_paths.h"

#include <fnmatch.h>
#include <string.h>

#include "base/cleanup.h"
#include "host/hostfacts.h"
#include "host/paths.h"
#include "policy/policy.h"

static bool
matches_any (const struct string_list *patterns, const char *path)
{
  for (size_t i = 0; i < patterns->len; i++)
    if (fnmatch (patterns->items[i], path, 0) == 0)
      return true;
  return false;
}

static bool
within_or_containing (const char *path, const char *dir)
{
  cleanup_free char *clean = path_clean (dir);
  if (strcmp (clean, "/") == 0)
    return strcmp (path, "/") == 0;
  return path_is_within (path, clean) || path_is_within (clean, path);
}

/* The directory a pattern's fixed part names: "/var/log" of "/var/log/[!.]*". */
static char *
pattern_base (const char *pattern)
{
  size_t n = strcspn (pattern, "*?[\\");
  char *base = hr_xstrndup (pattern, n);
  char *slash = strrchr (base, '/');

  if (slash != NULL)
    *slash = '\0';
  return base;
}

/* A directory a user pattern matches, refused only by a refused path
 * deeper than the pattern's base (/var/log/journal, not /var/log). */
static bool
user_allows (const struct policy *p, const char *path)
{
  for (size_t i = 0; i < p->mount_user.len; i++)
    {
      cleanup_free char *base = NULL;
      bool blocked = false;

      if (fnmatch (p->mount_user.items[i], path, 0) != 0)
        continue;
      base = pattern_base (p->mount_user.items[i]);
      for (size_t r = 0; r < p->mount_refused.len && !blocked; r++)
        blocked = within_or_containing (path, p->mount_refused.items[r])
                  && !path_is_within (base[0] ? base : "/", p->mount_refused.items[r]);
      if (!blocked)
        return true;
    }
  return false;
}

const char *
host_path_refusal (const struct policy *p, const char *path, const struct bind_use *use, const char **matched)
{
  const char *base = strrchr (path, '/');

  base = base ? base + 1 : path;
  if (string_list_contains (&p->socket_names, base))
    {
      *matched = base;
      return "a container engine's socket";
    }
  for (size_t i = 0; i < p->protected_paths.len; i++)
    if (within_or_containing (path, p->protected_paths.items[i]))
      {
        *matched = p->protected_paths.items[i];
        return "hardrun's own state (records and decisions), never bindable";
      }
  if (matches_any (&p->mount_allowed, path) || (use && use->read_only && matches_any (&p->mount_read_only, path))
      || (use && use->is_dir && user_allows (p, path)))
    return NULL;
  for (size_t i = 0; i < p->mount_refused.len; i++)
    if (within_or_containing (path, p->mount_refused.items[i]))
      {
        *matched = p->mount_refused.items[i];
        return path_is_within (path, p->mount_refused.items[i]) ? "a host system path"
                                                                 : "a directory that holds a host system path";
      }
  return NULL;
}

char *
host_path_location (const struct host_facts *host, const char *source, char **lexical)
{
  const struct path_fact *fact = host_facts_path (host, source);

  if (source[0] == '/')
    *lexical = path_clean (source);
  else if (host->bundle != NULL)
    {
      cleanup_free char *joined = hr_xasprintf ("%s/%s", host->bundle, source);
      *lexical = path_clean (joined);
    }
  else
    *lexical = NULL;
  if (fact != NULL && fact->resolved != NULL)
    return hr_xstrdup (fact->resolved);
  return *lexical ? hr_xstrdup (*lexical) : NULL;
}
