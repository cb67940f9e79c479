/* Which host paths a container may not see: what host_mounts judges a bind
 * source by, and rootfs a root.path outside the bundle. */
#ifndef HARDRUN_HOST_PATHS_H
#define HARDRUN_HOST_PATHS_H

struct policy;

/* Why this (clean, absolute) host path may not be shown to a container, or
 * NULL: an engine's socket; hardrun's own state; a refused path, or a
 * directory that holds one (-v /var:/x exposes /var/lib/docker), unless an
 * allowed pattern (the engines' per-container files) matches it. *matched
 * names what it matched. */
const char *host_path_refusal (const struct policy *p, const char *path, const char **matched);

#endif
