/* The merge of a config's own seccomp filter with hardrun's resolved
 * profile: a filter at least as strict as both, per syscall and argument
 * rule, that keeps the config's stricter actions, its errno values and its
 * notify agent where hardrun's profile allows the syscall. */
#ifndef HARDRUN_SECCOMP_MERGE_H
#define HARDRUN_SECCOMP_MERGE_H

#include <stddef.h>

#include "base/error.h"
#include "spec/json.h"

struct seccomp_merge_counts
{
  size_t config_kept;    /* syscalls that keep the config's stricter action or errno */
  size_t notify;         /* syscalls its notify agent still decides */
  size_t hardrun_denied; /* syscalls the config allowed that hardrun's profile denies */
  size_t widened;        /* argument rules made stricter: their intersection is not expressible */
};

/* Merge `filter` (a config's linux.seccomp) with `reference` (a resolved
 * profile, its native architecture first) into *out (caller frees), with a
 * one-line summary in `reason`. Returns -1 when no sound merge exists
 * (unknown syscall names, actions or operators, flags other than LOG and
 * TSYNC, notify on write): the caller installs the reference instead. */
int seccomp_filter_merge (const struct json *filter, const struct json *reference, struct json **out,
                   struct seccomp_merge_counts *counts, char *reason, size_t reason_len,
                   struct hr_error *err);

/* True when the merge of `filter` with `reference` is `reference` itself,
 * told without merging: the filter is nowhere stricter (an engine's default
 * profile, which allows all that hardrun's profile allows). Only ALLOW and
 * the profile's own ERRNO count; anything else is the merge's to judge. */
bool seccomp_filter_within (const struct json *filter, const struct json *reference);

#endif
