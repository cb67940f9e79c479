/* hardrun's seccomp profiles: validation (every syscall name through
 * libseccomp's resolver), resolution of capability- and architecture-
 * conditional rules into an OCI linux.seccomp object, and comparison of a
 * config's own filter against it. */
#ifndef HARDRUN_SECCOMP_PROFILE_H
#define HARDRUN_SECCOMP_PROFILE_H

#include <stdbool.h>

#include "base/error.h"
#include "host/hostfacts.h"
#include "policy/policy.h"
#include "spec/json.h"

/* Resolve `profile` for a container holding `caps` on `host`.
 * *out is a linux.seccomp object (caller frees). */
/* compat_arches: also filter the host's 32-bit ABIs (x86 and x32 on x86_64)
 * instead of leaving them out of the filter, which refuses them. */
/* names_known: the profile's syscall names were checked against this
 * libseccomp already (the compiled-in profile, by the unit tests), so they
 * are not resolved again at each launch. */
int seccomp_profile_resolve (const struct json *profile, const struct string_list *caps,
                             const struct host_facts *host, bool compat_arches, bool names_known,
                             struct json **out, struct hr_error *err);

/* Does `filter` (a config's linux.seccomp) allow anything `reference` (a
 * resolved profile) denies? Returns true and a reason when it is weaker,
 * or when hardrun cannot tell (unknown names and actions). A notify rule
 * counts as allowing: it is weaker only where the reference denies. */
bool seccomp_filter_weaker (const struct json *filter, const struct json *reference,
                            char *reason, size_t reason_len);

bool seccomp_action_allows (const char *action);

/* Two argument lists that runc turns into the same rule. */
bool seccomp_args_same (const struct json *a, const struct json *b);

#endif
