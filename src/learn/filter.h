/* The seccomp filters of learning, made from the filter hardrun would
 * install otherwise (its profile resolved, or merged with the config's):
 *
 *   record:   what the filter allows is notified to the recorder, which
 *             lets it go on and counts it (but the floor below);
 *   complain: what was recorded is allowed, the rest the filter allows is
 *             allowed and logged by the kernel (SCMP_ACT_LOG);
 *   enforce:  what was recorded is allowed, the rest the filter allows is
 *             notified to the agent, which answers ENOSYS and logs it; with
 *             no agent listening the kernel answers ENOSYS itself.
 *
 * What the filter denies stays denied in every mode: a learned profile
 * only ever narrows hardrun's. */
#ifndef HARDRUN_LEARN_FILTER_H
#define HARDRUN_LEARN_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "learn/learned.h"
#include "spec/json.h"

/* Never notified, always allowed: runc's init makes them between loading
 * the filter and handing its notify fd to the agent (write, which runc
 * refuses to notify; the Go runtime's own), so notifying them could stall
 * the init before anyone listens; and read and close, with which it waits
 * for runc, which would wait for it forever were the agent gone. */
bool learn_floor_has (const char *name);

/* The filter to install for `mode` (not LEARNING_OFF); `learned` is the
 * learned profile (NULL when recording). `listener` is the agent's socket
 * (NULL in enforce: denials get ENOSYS from the filter, unlogged). */
struct json *learn_filter (const struct json *filter, enum learning_mode mode, const struct json *learned,
                           const char *listener);

/* The enforcing filter of a learned profile, with no agent: an OCI
 * seccomp profile that Docker, podman and Kubernetes take, carrying the
 * learned document under "hardrun" (which they ignore) for import. */
struct json *learn_filter_export (const struct json *learned, const struct json *resolved);

/* The sorted names the learned profile allows of `profile`. */
struct json *learn_allowed_names (const struct json *learned, const struct json *profile);

/* The directory a written path asks to be writable, or NULL: the path's
 * own directory, but never in the image's system directories (a recorded
 * workload must not widen what it may write there), nor in /proc, /sys or
 * /dev, nor the root itself (caller frees). */
char *learn_scratch_dir (const char *written);

/* Add each directory learn_scratch_dir gives for the profile's written
 * paths to l, once (profile may be NULL). */
void learn_scratch_dirs (const struct json *profile, struct string_list *l);

/* The sorted names a filter's allowing rules name. */
struct json *learn_profile_names (const struct json *filter);

#endif
