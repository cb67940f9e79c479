#include "config.h"
#include "host/paths.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "base/cleanup.h"

char *
path_clean (const char *path)
{
  size_t n = strlen (path);
  char *out;
  size_t w = 0, r = 0;
  bool rooted = path[0] == '/';

  if (n == 0)
    return hr_xstrdup (".");
  out = hr_xmalloc (n + 2);
  if (rooted)
    {
      out[w++] = '/';
      r = 1;
    }
  size_t dotdot = w; /* out[:dotdot] cannot be backtracked over */
  while (r < n)
    {
      if (path[r] == '/')
        r++;
      else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/'))
        r++;
      else if (path[r] == '.' && path[r + 1] == '.' && (r + 2 == n || path[r + 2] == '/'))
        {
          r += 2;
          if (w > dotdot)
            {
              w--;
              while (w > dotdot && out[w] != '/')
                w--;
            }
          else if (!rooted)
            {
              if (w > 0)
                out[w++] = '/';
              out[w++] = '.';
              out[w++] = '.';
              dotdot = w;
            }
        }
      else
        {
          if ((rooted && w != 1) || (!rooted && w != 0))
            out[w++] = '/';
          for (; r < n && path[r] != '/'; r++)
            out[w++] = path[r];
        }
    }
  if (w == 0)
    out[w++] = '.';
  out[w] = '\0';
  return out;
}

bool
path_is_clean (const char *path)
{
  if (path[0] != '/')
    return false;
  if (path[1] == '\0')
    return true;
  for (const char *c = path; *c != '\0'; c++)
    if (*c == '/')
      {
        const char *n = c + 1;
        if (*n == '\0' || *n == '/' || (n[0] == '.' && (n[1] == '\0' || n[1] == '/'))
            || (n[0] == '.' && n[1] == '.' && (n[2] == '\0' || n[2] == '/')))
          return false;
      }
  return true;
}

bool
path_is_within (const char *path, const char *dir)
{
  size_t n = strlen (dir);
  if (strcmp (dir, "/") == 0)
    return path[0] == '/';
  return strncmp (path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int
path_mkdirs (const char *dir, mode_t mode, struct hr_error *err)
{
  cleanup_free char *p = hr_xstrdup (dir);

  for (char *c = p + 1; *c; c++)
    if (*c == '/')
      {
        *c = '\0';
        if (mkdir (p, mode) < 0 && errno != EEXIST)
          return hr_error_set (err, errno, "mkdir %s", p);
        *c = '/';
      }
  if (mkdir (p, mode) < 0 && errno != EEXIST)
    return hr_error_set (err, errno, "mkdir %s", p);
  return 0;
}
