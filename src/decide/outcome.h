/* The hardened path for create and run: bundle -> spec -> controls ->
 * decision -> write -> log -> exec. */
#ifndef HARDRUN_LAUNCH_H
#define HARDRUN_LAUNCH_H

#include <stdint.h>

#include "cli/argv.h"
#include "policy/configuration.h"
#include "controls/decision.h"
#include "host/hostfacts.h"
#include "spec/sha256.h"
#include "spec/spec.h"
#include "policy/workload.h"

struct outcome
{
  struct spec spec;
  struct selection selection;
  struct workload workload; /* borrowed from spec and engine_name */
  char *engine_name;
  bool have_policy;
  struct policy policy; /* the selected profile */
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

/* The verdict from out->decision; when it modifies, the new text and its
 * digest. */
int outcome_finish (struct outcome *out, struct hr_error *err);

/* Read dirfd/name, pick its profile and decide. Changes nothing on disk
 * except through `mcs` (NULL: SELinux category pairs are placeholders). The
 * LSMs are probed unless host->lsm.assumed says what to assume. */
int outcome_decide (const struct hr_config *cfg, struct host_facts *host,
                    struct mcs_allocator *mcs, int dirfd, const char *name, struct outcome *out,
                    struct hr_error *err);
/* The refusal line for a decision that refuses, NULL otherwise (caller frees). */
char *outcome_refusal_message (const struct outcome *o);
void outcome_release (struct outcome *o);

/* create/run: returns an exit status only when the delegate was not run. */
int launch_hardened (const struct runc_argv *args, int argc, char *const argv[], uint64_t start_us);

/* Commands that change nothing (state, list, ps, events, features, spec,
 * --version, ...): find the delegate, exec it. */
int launch_passthrough (const struct runc_argv *args, int argc, char *const argv[]);
/* For a command that reads nothing else before the exec: the delegate-loop
 * guard and the runtime's path (only that key of the configuration).
 * 0, or -1 with *status the exit status of the refusal it reported. */
int launch_lean_runtime (const struct runc_argv *args, char **runtime, int *status);

uint64_t monotonic_us (void);

#endif
