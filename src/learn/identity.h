/* Which learned profile a launch belongs to: the workload's image (its
 * digest where the engine gives one, else its reference), the selection
 * rule and profile, the architecture, the runtime's version and
 * noNewPrivileges. A change in any of them is another workload to learn:
 * each changes which syscalls runc and the workload make. */
#ifndef HARDRUN_LEARN_IDENTITY_H
#define HARDRUN_LEARN_IDENTITY_H

#include <stdbool.h>

#include "spec/json.h"

struct learned_identity
{
  const char *image;  /* reference, or NULL */
  const char *digest; /* "sha256:<64 hex>", or NULL */
  const char *rule;
  const char *profile;
  const char *arch;
  const char *runtime_version;
  bool no_new_privileges;
};

/* The digest an image reference pins ("name@sha256:..."), or NULL. */
const char *learned_image_digest (const char *ref);
/* The digest of a workload's image where an engine gives one: Docker's
 * image ID (from its record, which no user writes, and then only that), a
 * CRI image pinned @sha256, CRI-O's image ref annotation. */
const char *learned_workload_digest (const char *image, const struct json *annotations,
                                     const char *engine_image_id);
/* The workload's image reference: the engine's record's (Docker's), else
 * the annotations'. */
const char *learned_workload_image (const char *annotated, const char *engine_image);
/* The key object a learned profile carries. */
struct json *learned_key (const struct learned_identity *id);
/* IMAGE-PROFILE-HASH: readable, and unique to the key (caller frees). */
char *learned_key_name (const struct learned_identity *id);

#endif
