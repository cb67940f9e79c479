#include "config.h"
#include "host/path_walk.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/cleanup.h"
#include "host/paths.h"

/* The walk so far: `at` is canonical and exists ("" is "/"), unless
 * `missing`, when it is the text reached with the rest appended. */
struct walk
{
  char at[PATH_MAX];
  bool missing;
  struct stat st; /* of `at`, when have_st */
  bool have_st;
};

static void
append (struct walk *k, const char *s, size_t n)
{
  size_t len = strlen (k->at);

  if (len + 1 + n >= sizeof k->at)
    {
      /* longer than the kernel resolves: what it names is unknown */
      k->missing = true;
      return;
    }
  k->at[len] = '/';
  memcpy (k->at + len + 1, s, n);
  k->at[len + 1 + n] = '\0';
}

/* One component: "." stays, ".." leaves the canonical directory (as the
 * kernel's does), a name is looked up. */
static void
step (struct walk *k, const char *c, size_t n)
{
  char real[PATH_MAX];

  if (n == 0 || (n == 1 && c[0] == '.'))
    return;
  k->have_st = false;
  if (n == 2 && c[0] == '.' && c[1] == '.')
    {
      char *slash = strrchr (k->at, '/');
      if (slash != NULL)
        *slash = '\0';
      return;
    }
  append (k, c, n);
  if (k->missing || lstat (k->at, &k->st) < 0)
    {
      k->missing = true;
      return;
    }
  if (!S_ISLNK (k->st.st_mode))
    {
      k->have_st = true;
      return;
    }
  /* a symlink (rare on a bind source): the library's resolution of it */
  if (realpath (k->at, real) == NULL)
    k->missing = true; /* dangling: named as written */
  else
    strcpy (k->at, strcmp (real, "/") == 0 ? "" : real);
}

/* The longest remembered directory that `dir` is or lies below. */
static int
remembered (const struct path_walk *w, const char *dir)
{
  int best = -1;
  size_t best_len = 0;

  for (size_t i = 0; i < w->n_dirs; i++)
    {
      size_t n = strlen (w->dirs[i].written);
      if (strncmp (dir, w->dirs[i].written, n) == 0 && (dir[n] == '\0' || dir[n] == '/') && (best < 0 || n > best_len))
        {
          best = (int) i;
          best_len = n;
        }
    }
  return best;
}

static void
remember (struct path_walk *w, const char *dir, const struct walk *k)
{
  size_t i = w->n_dirs < PATH_WALK_DIRS ? w->n_dirs++ : PATH_WALK_DIRS - 1;

  if (i == PATH_WALK_DIRS - 1)
    {
      free (w->dirs[i].written);
      free (w->dirs[i].resolved);
    }
  w->dirs[i].written = hr_xstrdup (dir);
  w->dirs[i].resolved = hr_xstrdup (k->at);
  w->dirs[i].missing = k->missing;
}

/* Walk `rest` from where k stands; past a missing component the rest is
 * appended as written. With `w`, where `rest` lies in the directory `dir`
 * as written, the first missing component's directory is remembered too:
 * everything below it is missing as well. */
static void
walk_components (struct walk *k, const char *rest, struct path_walk *w, const char *dir)
{
  const char *c = rest;

  while (*c != '\0')
    {
      size_t n = strcspn (c, "/");
      if (k->missing)
        {
          if (n > 0)
            append (k, c, n);
        }
      else
        {
          step (k, c, n);
          if (k->missing && w != NULL && c[n] != '\0')
            {
              cleanup_free char *gone = hr_xstrndup (dir, (size_t) (c + n - dir));
              remember (w, gone, k);
            }
        }
      c += n + (c[n] == '/');
    }
}

/* Walk the directory part of `joined` (absolute, as written), from a
 * remembered directory where there is one, and remember it. `start` is
 * where the written text begins to need walking (after `from`). */
static void
walk_dir (struct path_walk *w, struct walk *k, const char *joined, size_t dir_len, size_t start)
{
  cleanup_free char *dir = hr_xstrndup (joined, dir_len);
  int r = remembered (w, dir);

  if (r >= 0 && strlen (w->dirs[r].written) >= start)
    {
      strcpy (k->at, w->dirs[r].resolved);
      k->missing = w->dirs[r].missing;
      start = strlen (w->dirs[r].written);
    }
  walk_components (k, dir + start, w, dir);
  if (r < 0 || strcmp (w->dirs[r].written, dir) != 0)
    remember (w, dir, k);
}

char *
path_walk_resolve (struct path_walk *w, const char *from, const char *path, struct file_identity *id)
{
  cleanup_free char *joined = NULL;
  struct walk k = { .at = "", .missing = false, .have_st = false };
  const char *last;
  size_t start = 0;

  memset (id, 0, sizeof *id);
  if (path[0] != '/')
    {
      if (from == NULL || strlen (from) >= sizeof k.at)
        return NULL;
      strcpy (k.at, strcmp (from, "/") == 0 ? "" : from);
      joined = hr_xasprintf ("%s/%s", k.at, path);
      start = strlen (k.at);
    }
  else
    joined = hr_xstrdup (path);
  last = strrchr (joined, '/');
  walk_dir (w, &k, joined, (size_t) (last - joined), start);
  walk_components (&k, last + 1, NULL, NULL);
  if (k.missing)
    return path_clean (k.at[0] ? k.at : "/");
  /* the last step was a symlink, a "..", or none: what it names now */
  if (!k.have_st && stat (k.at[0] ? k.at : "/", &k.st) < 0)
    return path_clean (k.at[0] ? k.at : "/");
  id->known = true;
  id->dev = k.st.st_dev;
  id->ino = k.st.st_ino;
  id->mode = k.st.st_mode;
  return hr_xstrdup (k.at[0] ? k.at : "/");
}

void
path_walk_release (struct path_walk *w)
{
  for (size_t i = 0; i < w->n_dirs; i++)
    {
      free (w->dirs[i].written);
      free (w->dirs[i].resolved);
    }
  memset (w, 0, sizeof *w);
}
