/* The cgroup linux.cgroupsPath names, resolved as runc 1.1 resolves it, and
 * whether it is someone else's now: it exists with processes in it, or
 * with cgroups below it (a new container's cgroup has neither). */
#ifndef HARDRUN_CGROUP_H
#define HARDRUN_CGROUP_H

#include <stdbool.h>

struct cgroup_fact
{
  bool named;     /* the config names a linux.cgroupsPath */
  bool known;     /* ... that resolves */
  char *dir;      /* below the cgroup root (the first hierarchy's, on v1) */
  bool exists;    /* now, in some hierarchy */
  bool populated; /* with processes in it or cgroups below it */
};

/* The directory below a hierarchy's root: systemd's "slice:prefix:name"
 * (with --systemd-cgroup) nested as systemd nests slices; otherwise a path,
 * cleaned, an absolute one from the root and a relative one below `own`
 * (runc's own cgroup in that hierarchy). NULL when it cannot be resolved. */
char *cgroup_resolve (const char *cgroups_path, bool systemd, const char *own);

/* Probe every hierarchy: for a relative path those this process is in
 * (/proc/self/cgroup), for an absolute one those mounted below
 * /sys/fs/cgroup (or the cgroup2 root itself). */
void cgroup_probe (struct cgroup_fact *out, const char *cgroups_path, bool systemd);
void cgroup_fact_release (struct cgroup_fact *f);

#endif
