/* Which host paths a container may not see: what host_mounts judges a bind
 * source by, and rootfs a root.path outside the bundle. */
#ifndef HARDRUN_HOST_PATHS_H
#define HARDRUN_HOST_PATHS_H

#include <stdbool.h>

struct host_facts;
struct policy;

/* How a bind uses its source: NULL for root.path, which no allowance for
 * binds covers. */
struct bind_use
{
  bool read_only; /* the last of ro and rw in its options is ro */
  bool is_dir;    /* the source is a directory now */
};

/* Why this (clean, absolute) host path may not be shown to a container, or
 * NULL: an engine's socket; hardrun's own state; a refused path, or a
 * directory that holds one (-v /var:/x exposes /var/lib/docker), unless an
 * allowed pattern (the engines' per-container files) matches it, or, for
 * a read-only bind, a read-only pattern (init binaries, the time zone),
 * or, for a directory, a user pattern (/root/NAME, /var/log/APP) where no
 * refused path deeper than the pattern's own directory is in the way.
 * *matched names what it matched. */
const char *host_path_refusal (const struct policy *p, const char *path, const struct bind_use *use,
                               const char **matched);

/* The host path a config's path names as runc will find it: a relative
 * one joined to the bundle (runc runs there), symlinks followed as far as
 * host/ resolved it (host_facts_probe_spec). *lexical gets the path before
 * symlinks. NULL (and *lexical NULL) for a relative path with no bundle
 * known. Caller frees both. */
char *host_path_location (const struct host_facts *host, const char *path, char **lexical);

#endif
