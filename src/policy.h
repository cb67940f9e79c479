/* The hardening policy: what each control does and with which lists. */
#ifndef HARDRUN_POLICY_H
#define HARDRUN_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "control.h"
#include "error.h"
#include "json.h"
#include "sha256.h"

struct string_list
{
  char **items;
  size_t len;
};

struct policy
{
  char *name;
  enum control_action actions[CONTROL_COUNT];
  struct string_list cap_allow;
  struct string_list tmpfs;
  char *tmpfs_size;
  struct string_list masked;
  struct string_list readonly;
  struct json *seccomp_profile; /* validated lazily by the seccomp control */
  char *seccomp_source;         /* "built-in" or the file it came from */
  char seccomp_sha256[SHA256_HEX_LEN + 1]; /* of the profile's text */
  char hash[SHA256_HEX_LEN + 1]; /* of the effective policy and seccomp profile */
};

/* Where a policy value came from, so errors can name file, line and key. */
struct source
{
  const char *name; /* file path, or "built-in policy" */
  const char *buf;
  size_t len;
};

/* "FILE:LINE: key "KEY": WHAT" for a value from src; returns -1. */
int source_error (const struct source *src, const struct json *node, const char *key,
                  struct hr_error *err, const char *what);

/* Apply a policy object onto *p: each key present replaces the value it
 * names (nested objects key by key). Unknown keys and bad values are errors
 * naming source, line and key. */
int policy_apply (struct policy *p, const struct json *obj, const struct source *src,
                  struct hr_error *err);
/* The built-in policy and seccomp profile. */
int policy_load_defaults (struct policy *p, bool with_seccomp, struct hr_error *err);
/* Replace the seccomp profile with a file's. */
int policy_load_seccomp_file (struct policy *p, const char *path, struct hr_error *err);
/* Digest of everything that decides: call once the policy is complete. */
void policy_finish (struct policy *p, const char *config_text, size_t config_len);
void policy_release (struct policy *p);

bool string_list_contains (const struct string_list *l, const char *s);
void string_list_release (struct string_list *l);

/* The built-in texts, compiled in from profiles/. */
extern const char hr_embedded_policy[];
extern const size_t hr_embedded_policy_len;
extern const char hr_embedded_seccomp[];
extern const size_t hr_embedded_seccomp_len;
extern const char hr_embedded_policy_sha256[];
extern const char hr_embedded_seccomp_sha256[];

#endif
