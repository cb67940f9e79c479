/* SELinux MCS category pairs (s0:cX,cY), one per container, allocated in
 * hardrun's state directory. A pair is a file created with O_EXCL, so two
 * launches never get the same one; it records the container and runc's
 * state root, and is reclaimed once runc no longer knows that container
 * (after delete, or when the create never happened). */
#ifndef HARDRUN_MCS_H
#define HARDRUN_MCS_H

#include <stdbool.h>
#include <time.h>

#include "base/error.h"

#define MCS_LEVEL_MAX 32
/* How long a pair may exist before runc has written the container's state. */
#define MCS_GRACE_SECONDS 120

/* How a control gets a level: the state directory at launch, a preview
 * when nothing may change (check, audit), a fake in tests. */
struct mcs_allocator
{
  int (*allocate) (struct mcs_allocator *a, char level[MCS_LEVEL_MAX], struct hr_error *err);
  void *data;
};

struct mcs_state
{
  const char *state_dir;   /* e.g. /var/lib/hardrun */
  const char *runc_root;   /* where runc keeps container state */
  const char *container_id;
  time_t now;              /* injectable for tests */
};

/* Allocate a pair for st->container_id; reclaims stale pairs first. */
int mcs_allocate (const struct mcs_state *st, char level[MCS_LEVEL_MAX], struct hr_error *err);
/* Free every pair held by this container (a refused launch). */
int mcs_release (const struct mcs_state *st, struct hr_error *err);
/* Reclaim pairs whose container runc no longer knows. Returns how many. */
int mcs_reclaim (const struct mcs_state *st, struct hr_error *err);

/* Allocators for struct host_facts. */
void mcs_allocator_state (struct mcs_allocator *a, struct mcs_state *st);
/* The pair a launch would take, reserving nothing; st NULL (no state
 * directory known): any pair. */
void mcs_allocator_preview (struct mcs_allocator *a, const struct mcs_state *st);

#endif
