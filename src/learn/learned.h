/* A learned profile: what a workload was seen to do, as one JSON document
 * the store keeps and `hardrun learned export` moves between nodes.
 *
 *   {"hardrun_learned": 1, "name": N, "key": {...}, "state": "recording"|"promoted",
 *    "runs": R, "quiet_runs": Q,
 *    "syscalls": {NAME: {"count": C, "first": T, "last": T}, ...},
 *    "written": {PATH: {...}}, "execs": {PATH: {...}}}
 *
 * "written" holds the paths the workload opened for writing, created,
 * renamed or removed (as it named them, resolved in its root).
 *
 * Every document read from a file is checked (learned_check) before use:
 * the store and imports are as hostile as config.json. */
#ifndef HARDRUN_LEARNED_H
#define HARDRUN_LEARNED_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "policy/policy.h"
#include "spec/json.h"

enum learned_section
{
  LEARNED_SYSCALLS,
  LEARNED_WRITTEN,
  LEARNED_EXECS,
  LEARNED_SECTION_COUNT,
};


/* An empty record of `name` under `key` (copied). */
struct json *learned_new (const char *name, const struct json *key);
/* The document of a file: itself, or the one `hardrun learned export`
 * carries under "hardrun" (borrowed from v). */
const struct json *learned_unwrap (const struct json *v);
/* Whether doc has the shape above, with sane names and counts. */
int learned_check (const struct json *doc, struct hr_error *err);

const char *learned_name (const struct json *doc);
bool learned_promoted (const struct json *doc);
void learned_set_promoted (struct json *doc, bool promoted);
/* The section's object (never NULL for a checked document). */
const struct json *learned_section (const struct json *doc, enum learned_section s);
bool learned_has (const struct json *doc, enum learned_section s, const char *item);
uint64_t learned_count (const struct json *doc, enum learned_section s);

/* Add `count` sightings of item between first and last (RFC 3339, UTC).
 * Returns true when the item is new to doc. A new item beyond the bounds a
 * document is read with (2048 items a section, 1024 bytes an item) is not
 * noted. */
bool learned_note (struct json *doc, enum learned_section s, const char *item, uint64_t count,
                   const char *first, const char *last);
/* Add every sighting of `from` into `into`; true when any item was new. */
bool learned_merge (struct json *into, const struct json *from);
/* The end of a run: runs + 1, quiet_runs + 1 or back to 0 when the run saw
 * something new, and promotion once quiet_runs reaches promote_after (0:
 * by hand only). */
void learned_end_run (struct json *doc, bool saw_new, int64_t promote_after);
int64_t learned_int (const struct json *doc, const char *key);

/* Each section in name order: files that diff well. */
void learned_sort (struct json *doc);

/* What a launch whose profile asks for `asked` does, given the stored
 * profile (NULL: none): record until promoted, complain once anything was
 * recorded, enforce once promoted. LEARNING_OFF when enforce finds nothing
 * promoted (the launch is refused). */
enum learning_mode learned_effective_mode (enum learning_mode asked, const struct json *profile);

#endif
