/* What the store holds for one launch, found before the controls run and
 * handed to them as a host fact: the learned profile of the workload under
 * either value of noNewPrivileges (the controls settle that value), and
 * where this container's agent listens. */
#ifndef HARDRUN_LEARN_LOOKUP_H
#define HARDRUN_LEARN_LOOKUP_H

#include <stdbool.h>

#include "base/error.h"
#include "learn/identity.h"
#include "learn/store.h"
#include "spec/json.h"

struct learned_match
{
  char *agent_dir;         /* state_dir/agents: sockets of hardrun's own agents */
  char *listener;          /* this container's agent socket; NULL without an id (check) */
  char *name[2];           /* by noNewPrivileges; NULL when learning is off */
  struct json *key[2];
  struct json *profile[2]; /* NULL: none yet */
  enum learned_origin origin[2];
  char *error;             /* a stored profile that cannot be read (the launch is refused) */
};

/* The agent's socket of a container: short enough for sun_path whatever
 * the id, and one per runc root and id (caller frees). */
char *learned_agent_socket (const char *state_dir, const char *runc_root, const char *container_id);

/* Fill m for id (its no_new_privileges is ignored: both are looked up). */
void learned_match_find (const struct learned_store *st, const struct learned_identity *id, struct learned_match *m);
/* Which of a match's two profiles a config gets: its noNewPrivileges, as
 * the controls settled it (0 or 1). */
int learned_match_index (const struct json *spec);
void learned_match_release (struct learned_match *m);

#endif
