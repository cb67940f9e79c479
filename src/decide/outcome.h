/* One decision on one input, shared by every verb that decides: a
 * config.json (create, run, restore, check) or an exec's process file is
 * loaded with its digest, its profile selected, the controls run, and the
 * verdict and new text made. Nothing here writes the file or a log line;
 * only SELinux category pairs are taken, through the allocator given. */
#ifndef HARDRUN_OUTCOME_H
#define HARDRUN_OUTCOME_H

#include "controls/decision.h"
#include "host/hostfacts.h"
#include "learn/lookup.h"
#include "policy/configuration.h"
#include "policy/workload.h"
#include "spec/sha256.h"
#include "spec/spec.h"

struct outcome
{
  struct spec spec;
  struct selection selection;
  struct workload workload; /* borrowed from spec and engine_name */
  char *engine_name;
  bool have_policy;
  struct policy policy; /* the selected profile */
  struct learned_match learned; /* host->learned points here */
  struct decision decision;
  enum verdict verdict;
  char *new_text; /* the config to write when the verdict is modify */
  size_t new_len;
  char sha256_before[SHA256_HEX_LEN + 1];
  char sha256_after[SHA256_HEX_LEN + 1];
};

/* Load dirfd/name into out->spec and take its digest (also when it does
 * not parse). */
int outcome_load (struct outcome *out, int dirfd, const char *name, enum spec_kind kind,
                  struct hr_error *err);
/* The same for bytes read already (out takes them). */
int outcome_load_bytes (struct outcome *out, char *raw, size_t len, enum spec_kind kind, struct hr_error *err);

/* The verdict from out->decision; when it modifies, the new text and its
 * digest. */
int outcome_finish (struct outcome *out, struct hr_error *err);

/* Read dirfd/name, pick its profile and decide. Changes nothing on disk
 * except through `mcs` (NULL: SELinux category pairs are previews, reserving none). The
 * LSMs are probed unless host->lsm.assumed says what to assume. */
int outcome_decide (const struct hr_config *cfg, struct host_facts *host,
                    struct mcs_allocator *mcs, int dirfd, const char *name, struct outcome *out,
                    struct hr_error *err);
/* The refusal line for a decision that refuses, NULL otherwise (caller frees). */
char *outcome_refusal_message (const struct outcome *o);
void outcome_release (struct outcome *o);

#endif
