#include "config.h"
#include "host/cgroup.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
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

/* The cgroup `dir` in the hierarchy mounted at CGROUP_ROOT/`mnt` ("." for
 * the root itself), looked up from `root`, an fd of CGROUP_ROOT. */
static void
probe_at (struct cgroup_fact *out, int root, const char *mnt, const char *dir, bool unified)
{
  cleanup_free char *cg = hr_xasprintf ("%s%s", mnt, dir);

  if (out->dir == NULL)
    out->dir = hr_xstrdup (dir);
  out->known = true;
  if (faccessat (root, cg, F_OK, 0) != 0)
    return;
  out->exists = true;
  free (cg);
  cg = hr_xasprintf (CGROUP_ROOT "/%s%s", mnt, dir);
  /* every hierarchy's root holds the host's processes */
  if (strcmp (dir, "/") == 0 || (unified ? v2_populated (cg) : v1_populated (cg)))
    out->populated = true;
}

/* A relative cgroupsPath, per line of /proc/self/cgroup
 * ("ID:CONTROLLERS:PATH"): runc joins it to its own cgroup there. */
static void
probe_own_line (struct cgroup_fact *out, char *line, const char *cgroups_path, bool pure_v2, int root)
{
  char *c1 = strchr (line, ':');
  char *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
  cleanup_free char *dir = NULL;
  bool unified;

  if (c2 == NULL)
    return;
  *c2 = '\0';
  unified = c1[1] == '\0';
  dir = cgroup_resolve (cgroups_path, false, c2 + 1);
  probe_at (out, root, unified ? (pure_v2 ? "." : "unified") : strncmp (c1 + 1, "name=", 5) == 0 ? c1 + 6 : c1 + 1,
            dir, unified);
}

/* /proc/self/cgroup, whole. */
static char *
read_own_cgroups (void)
{
  cleanup_close int fd = open ("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
  struct hr_buf b = { 0 };
  char chunk[4096];
  ssize_t n;

  while (fd >= 0 && (n = read (fd, chunk, sizeof chunk)) > 0)
    hr_buf_append (&b, chunk, (size_t) n);
  return b.data;
}

static void
probe_relative (struct cgroup_fact *out, const char *cgroups_path, int root)
{
  cleanup_free char *lines = read_own_cgroups ();
  char *save = NULL;
  /* only the unified hierarchy: it is mounted at the root itself */
  bool pure_v2 = lines != NULL && strncmp (lines, "0::", 3) == 0 && strchr (lines, '\n') == lines + strlen (lines) - 1;

  for (char *line = lines ? strtok_r (lines, "\n", &save) : NULL; line != NULL; line = strtok_r (NULL, "\n", &save))
    probe_own_line (out, line, cgroups_path, pure_v2, root);
}

/* An absolute cgroup (fs or systemd driver) in every hierarchy mounted
 * below CGROUP_ROOT: the root itself when it is cgroup2, else each of its
 * directories (a v1 controller, a hybrid host's "unified"). */
static void
probe_absolute (struct cgroup_fact *out, const char *dir, int root)
{
  struct statfs fs;
  DIR *d;
  struct dirent *e;

  if (fstatfs (root, &fs) < 0)
    return;
  if ((unsigned long) fs.f_type == CGROUP2_SUPER_MAGIC)
    {
      probe_at (out, root, ".", dir, true);
      return;
    }
  d = fdopendir (dup (root));
  while (d != NULL && (e = readdir (d)) != NULL)
    if (e->d_type == DT_DIR && strcmp (e->d_name, ".") != 0 && strcmp (e->d_name, "..") != 0)
      probe_at (out, root, e->d_name, dir, strcmp (e->d_name, "unified") == 0);
  if (d != NULL)
    closedir (d);
}

void
cgroup_probe (struct cgroup_fact *out, const char *cgroups_path, bool systemd)
{
  cleanup_close int root = -1;
  cleanup_free char *dir = NULL;

  memset (out, 0, sizeof *out);
  if (cgroups_path == NULL)
    return;
  out->named = true;
  /* no cgroup root: nothing exists in it */
  root = open (CGROUP_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (!systemd && cgroups_path[0] != '/')
    {
      probe_relative (out, cgroups_path, root);
      return;
    }
  dir = cgroup_resolve (cgroups_path, systemd, NULL);
  if (dir == NULL)
    return;
  out->dir = hr_xstrdup (dir);
  out->known = true;
  if (root >= 0)
    probe_absolute (out, dir, root);
}

void
cgroup_fact_release (struct cgroup_fact *f)
{
  free (f->dir);
  memset (f, 0, sizeof *f);
}
