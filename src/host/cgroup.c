#include "config.h"
#include "host/cgroup.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "host/paths.h"
#include "spec/json.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

/* "a-b-c.slice" -> "a.slice/a-b.slice/a-b-c.slice", as systemd nests them. */
static char *
expand_slice (const char *slice)
{
  struct hr_buf b = { 0 };
  size_t len = strlen (slice) - strlen (".slice");

  for (size_t i = 0; i <= len; i++)
    if (i == len || slice[i] == '-')
      hr_buf_printf (&b, "%s%.*s.slice", b.len ? "/" : "", (int) i, slice);
  return b.data;
}

static bool
ends_with (const char *s, const char *suffix)
{
  size_t n = strlen (s), m = strlen (suffix);
  return n >= m && strcmp (s + n - m, suffix) == 0;
}

/* systemd's "slice:prefix:name": each part a plain name (runc's systemd
 * driver makes a unit of it); the unit is prefix-name.scope, or name
 * itself when it is a slice. */
static char *
systemd_dir (const char *cgroups_path)
{
  const char *c1 = strchr (cgroups_path, ':');
  const char *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
  cleanup_free char *slice = NULL;
  cleanup_free char *prefix = NULL;
  cleanup_free char *nested = NULL;
  const char *name;

  if (c2 == NULL || strchr (c2 + 1, ':') != NULL || strchr (cgroups_path, '/') != NULL
      || strstr (cgroups_path, "..") != NULL || c2[1] == '\0')
    return NULL;
  slice = c1 == cgroups_path ? hr_xstrdup ("system.slice") : hr_xstrndup (cgroups_path, (size_t) (c1 - cgroups_path));
  prefix = hr_xstrndup (c1 + 1, (size_t) (c2 - c1 - 1));
  name = c2 + 1;
  if (!ends_with (slice, ".slice") || strcmp (slice, ".slice") == 0)
    return NULL;
  nested = strcmp (slice, "-.slice") == 0 ? hr_xstrdup ("") : expand_slice (slice);
  if (ends_with (name, ".slice"))
    return hr_xasprintf ("%s%s/%s", nested[0] ? "/" : "", nested, name);
  return hr_xasprintf ("%s%s/%s%s%s.scope", nested[0] ? "/" : "", nested, prefix, prefix[0] ? "-" : "", name);
}

char *
cgroup_resolve (const char *cgroups_path, bool systemd, const char *own)
{
  cleanup_free char *joined = NULL;

  if (systemd)
    return systemd_dir (cgroups_path);
  /* runc's fs driver joins the path (cleaning it) to the root, or a
   * relative one to its own cgroup */
  joined = cgroups_path[0] == '/' ? hr_xstrdup (cgroups_path) : hr_xasprintf ("%s/%s", own ? own : "/", cgroups_path);
  return path_clean (joined);
}

/* A v1 hierarchy's cgroup: processes in it, or cgroups below it. */
static bool
v1_populated (const char *cg)
{
  cleanup_free char *procs = hr_xasprintf ("%s/cgroup.procs", cg);
  cleanup_fclose FILE *f = fopen (procs, "re");
  DIR *d;
  struct dirent *e;
  bool below = false;
  char line[64];

  if (f != NULL && fgets (line, sizeof line, f) != NULL)
    return true;
  d = opendir (cg);
  while (d != NULL && !below && (e = readdir (d)) != NULL)
    below = e->d_type == DT_DIR && strcmp (e->d_name, ".") != 0 && strcmp (e->d_name, "..") != 0;
  if (d != NULL)
    closedir (d);
  return below;
}

/* A v2 cgroup: its populated flag counts the whole subtree. */
static bool
v2_populated (const char *cg)
{
  cleanup_free char *events = hr_xasprintf ("%s/cgroup.events", cg);
  cleanup_fclose FILE *f = fopen (events, "re");
  char line[64];

  while (f != NULL && fgets (line, sizeof line, f) != NULL)
    if (strcmp (line, "populated 1\n") == 0)
      return true;
  return false;
}

/* One line of /proc/self/cgroup: "ID:CONTROLLERS:PATH". */
static void
probe_hierarchy (struct cgroup_fact *out, char *line, const char *cgroups_path, bool systemd, bool pure_v2)
{
  char *c1 = strchr (line, ':');
  char *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
  cleanup_free char *dir = NULL;
  cleanup_free char *mnt = NULL;
  cleanup_free char *cg = NULL;
  bool unified;

  line[strcspn (line, "\n")] = '\0';
  if (c2 == NULL)
    return;
  *c2 = '\0';
  unified = c1[1] == '\0';
  dir = cgroup_resolve (cgroups_path, systemd, c2 + 1);
  if (dir == NULL)
    return;
  if (out->dir == NULL)
    out->dir = hr_xstrdup (dir);
  out->known = true;
  mnt = unified ? hr_xstrdup (pure_v2 ? CGROUP_ROOT : CGROUP_ROOT "/unified")
                : hr_xasprintf (CGROUP_ROOT "/%s", strncmp (c1 + 1, "name=", 5) == 0 ? c1 + 6 : c1 + 1);
  cg = hr_xasprintf ("%s%s", mnt, dir);
  if (access (cg, F_OK) != 0)
    return;
  out->exists = true;
  /* every hierarchy's root holds the host's processes */
  if (strcmp (dir, "/") == 0 || (unified ? v2_populated (cg) : v1_populated (cg)))
    out->populated = true;
}

void
cgroup_probe (struct cgroup_fact *out, const char *cgroups_path, bool systemd)
{
  cleanup_fclose FILE *f = NULL;
  char line[4096];
  bool pure_v2 = access (CGROUP_ROOT "/cgroup.controllers", F_OK) == 0;

  memset (out, 0, sizeof *out);
  if (cgroups_path == NULL)
    return;
  out->named = true;
  f = fopen ("/proc/self/cgroup", "re");
  while (f != NULL && fgets (line, sizeof line, f) != NULL)
    probe_hierarchy (out, line, cgroups_path, systemd, pure_v2);
}

void
cgroup_fact_release (struct cgroup_fact *f)
{
  free (f->dir);
  memset (f, 0, sizeof *f);
}
