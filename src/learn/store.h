/* The learned profiles of this node: state_dir/learned/NAME.json, written
 * by the recorders and the `learned` verb; and a directory the operator
 * fills (a Kubernetes ConfigMap, say) with exported profiles, read only.
 * A profile in the operator's directory wins: it is the cluster's. */
#ifndef HARDRUN_LEARN_STORE_H
#define HARDRUN_LEARN_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "spec/json.h"

struct learned_store
{
  const char *state_dir;
  const char *operator_dir; /* NULL: none */
};

enum learned_origin
{
  LEARNED_FROM_NODE,
  LEARNED_FROM_OPERATOR,
};

/* The profile called name: 0 and *out, 1 when there is none, -1 when one
 * exists but cannot be read or is not a learned profile. */
int learned_store_load (const struct learned_store *st, const char *name, struct json **out,
                        enum learned_origin *origin, struct hr_error *err);

/* Merge `delta` into the node's NAME (made from key when new), under the
 * store's lock; a promoted NAME is left as it is. *run_saw_new collects, over a run's merges, whether any
 * brought something new; with end_run, the run is counted (learned_end_run). */
int learned_store_merge (const struct learned_store *st, const char *name, const struct json *key,
                         const struct json *delta, bool end_run, int64_t promote_after,
                         bool *run_saw_new, struct hr_error *err);

/* Change the node's NAME under the store's lock: change gets the stored
 * document (NULL when there is none), may replace it, and fails with -1;
 * the result is checked and written. */
typedef int (*learned_change_fn) (struct json **doc, void *arg, struct hr_error *err);
int learned_store_change (const struct learned_store *st, const char *name, learned_change_fn change, void *arg,
                          struct hr_error *err);

/* Write doc (checked) as the node's profile of its name, replacing it. */
int learned_store_put (const struct learned_store *st, const struct json *doc, struct hr_error *err);

/* Every profile's name, node's and operator's, sorted and unique (caller
 * frees each and the array). */
int learned_store_names (const struct learned_store *st, char ***names, size_t *n, struct hr_error *err);

#endif
