/* Which host paths a container may not see: what host_mounts judges a bind
 * source by, and rootfs a root.path outside the bundle. */
#ifndef HARDRUN_HOST_PATHS_H
#define HARDRUN_HOST_PATHS_H

#include <stdbool.h>

struct host_facts;
struct policy;

/* Why this (clean, absolute) host path may not be shown to a container, or
 * NULL: an engine's socket; hardrun's own state; a refused path, or a
 * directory that holds one (-v /var:/x exposes /var/lib/docker), unless an
 * allowed pattern (the engines' per-container files) matches it, or, for
 * a read-only use, a read-only pattern (init binaries, the time zone).
 * *matched names what it matched. */
const char *host_path_refusal (const struct policy *p, const char *path, bool read_only, const char **matched);

/* The host path a config's path names as runc will find it: a relative
 * one joined to the bundle (runc runs there), symlinks followed as far as
 * host/ resolved it (host_facts_probe_spec). *lexical gets the path before
 * symlinks. NULL (and *lexical NULL) for a relative path with no bundle
 * known. Caller frees both. */
char *host_path_location (const struct host_facts *host, const char *path, char **lexical);

#endif
