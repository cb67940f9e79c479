/* The forensic record of each container, under the state directory:
 * records/<digest of runc's root>/<id>/ holds the original and hardened
 * config.json, the decision, each exec's process file and decision, and
 * record.json (who the workload is, its hardened process settings, when it
 * was created and deleted). Records outlive their containers within the
 * bounds of the configuration. */
#ifndef HARDRUN_RECORD_H
#define HARDRUN_RECORD_H

#include <stdint.h>
#include <time.h>

#include "base/error.h"
#include "spec/json.h"

struct record_key
{
  const char *state_dir;
  const char *root; /* runc's --root: ids are unique only within one */
  const char *id;
};

/* How many records to keep (the configuration's "records"). */
struct record_bounds;

/* NULL when the id cannot name a directory (runc refuses such ids too). */
char *record_dir (const struct record_key *k);

/* Write one file of the record, atomically. */
int record_write (const struct record_key *k, const char *name, const char *data, size_t len,
                  struct hr_error *err);
/* record.json as a tree (caller frees); -1 with ENOENT when there is none. */
int record_load (const struct record_key *k, struct json **out, struct hr_error *err);
/* The next free exec sequence number. */
unsigned record_next_exec (const struct record_key *k);
/* Stamp the deletion time and the container's lifetime into record.json. */
int record_mark_deleted (const struct record_key *k, time_t now, struct hr_error *err);
/* Drop deleted containers' records past the age bound, then the oldest
 * (deleted first) until count and size are within bounds. Returns how many. */
int record_prune (const char *state_dir, const struct record_bounds *b, time_t now,
                  struct hr_error *err);

/* record_prune, when the count is over the bound or the last full pass is
 * 10 minutes old: reading every record on every launch would not scale. */
int record_prune_if_due (const char *state_dir, const struct record_bounds *b, time_t now,
                         struct hr_error *err);

/* Directories of every record for this id, under any runc root. */
int record_find (const char *state_dir, const char *id, char ***dirs, size_t *n,
                 struct hr_error *err);

#endif
