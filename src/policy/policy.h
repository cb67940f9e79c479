/* A hardening profile: what each control does, and with which lists. */
#ifndef HARDRUN_POLICY_H
#define HARDRUN_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "policy/control_id.h"
#include "spec/json.h"
#include "spec/sha256.h"

struct string_list
{
  char **items;
  size_t len;
};

enum hr_mode
{
  MODE_ENFORCE,
  MODE_AUDIT,
};

/* What a profile lets engines and users do to a running container. */
enum engine_command
{
  ENGINE_EXEC,
  ENGINE_CHECKPOINT,
  ENGINE_RESTORE,
  ENGINE_UPDATE,
  ENGINE_PAUSE,
  ENGINE_RESUME,
  ENGINE_KILL,
  ENGINE_COMMAND_COUNT,
};

const char *engine_command_name (enum engine_command c);

/* What a profile's "learning" key asks for (src/learn/). */
enum learning_mode
{
  LEARNING_OFF,
  LEARNING_RECORD,   /* record until promoted, then enforce */
  LEARNING_COMPLAIN, /* allow what was recorded, log the rest */
  LEARNING_ENFORCE,  /* exactly what was recorded; refused without a promoted profile */
};

const char *learning_mode_name (enum learning_mode m);

struct policy
{
  char *name;
  enum hr_mode mode; /* a profile can be rolled out in audit mode on its own */
  enum control_action actions[CONTROL_COUNT];
  bool command_denied[ENGINE_COMMAND_COUNT];
  struct string_list cap_allow;
  struct string_list tmpfs;
  char *tmpfs_size;
  struct string_list masked;
  struct string_list readonly;
  struct string_list dangerous_caps;
  struct string_list ns_refuse;
  struct string_list ns_audit;
  struct string_list mount_refused; /* host paths refused as bind sources, and below */
  struct string_list mount_allowed; /* fnmatch patterns the engines' own files match */
  struct string_list mount_read_only; /* ... and those allowed only read-only (init binaries, time zone) */
  struct string_list mount_user; /* a user's own directories below a refused path (/root/NAME, /var/log/APP) */
  struct string_list socket_names;
  struct string_list mount_types_allowed; /* "TYPE DESTINATION [OPTION,...]" */
  struct string_list rootfs_allowed;      /* fnmatch patterns of root.path outside the bundle */
  struct string_list hooks_allowed;       /* fnmatch patterns of hook binaries, resolved */
  struct string_list annotations_refused; /* fnmatch patterns of annotation keys runc acts on */
  struct string_list protected_paths;     /* hardrun's own state_dir and decision log */
  struct string_list sysctls_allowed;
  struct string_list images_allowed; /* fnmatch patterns of image references and digests; empty: any */
  bool image_require_digest;
  struct string_list landlock_read;  /* paths inside the container; empty: the default */
  struct string_list landlock_write;
  struct string_list landlock_exec;
  int64_t landlock_abi_max;          /* use no more of the kernel's ABI (0: all of it) */
  struct string_list landlock_tcp_bind;    /* TCP ports, decimal; empty: binding is not limited */
  struct string_list landlock_tcp_connect; /* empty: connecting is not limited */
  struct string_list secret_names; /* fnmatch patterns, case-insensitive */
  int64_t pids_limit;              /* 0: none to impose */
  char *apparmor_profile;          /* the profile hardrun sets */
  bool apparmor_require_profile;   /* refuse when that profile is not loaded */
  struct string_list selinux_refused_types;
  char *seccomp_path;              /* a profile file instead of the built-in one */
  bool seccomp_compat_arches;      /* also allow the host's 32-bit syscall ABIs */
  struct json *seccomp_profile;    /* loaded by policy_load_seccomp */
  char *seccomp_source;            /* "built-in" or the file it came from */
  bool seccomp_builtin;            /* the compiled-in profile, its names checked by the tests */
  char seccomp_sha256[SHA256_HEX_LEN + 1];
  enum learning_mode learning;
  int64_t learning_promote_after; /* quiet runs before a record is promoted; 0: by hand */
  char hash[SHA256_HEX_LEN + 1]; /* of everything that decides */
};

/* Where a policy value came from, so errors can name file, line and key. */
struct source
{
  const char *name; /* file path, or "built-in profile NAME" */
  const char *buf;
  size_t len;
};

/* "FILE:LINE: key "KEY": WHAT" for a value from src; returns -1. */
int source_error (const struct source *src, const struct json *node, const char *key,
                  struct hr_error *err, const char *what);

/* Every action enforce, every list empty. */
void policy_init (struct policy *p, const char *name);
/* Apply a profile object onto *p: each key present replaces the value it
 * names (sections key by key). "base" is the caller's business. Unknown
 * keys and bad values are errors naming source, line and key; `prefix` is
 * the key path of obj in its file (e.g. "profiles.web"). */
int policy_apply (struct policy *p, const struct json *obj, const struct source *src,
                  const char *prefix, struct hr_error *err);
/* Load the seccomp profile the policy names (or the built-in one). */
int policy_load_seccomp (struct policy *p, struct hr_error *err);
/* Digest of what decides: the texts of the built-in profiles, the
 * configuration file and the seccomp profile. */
void policy_finish (struct policy *p, const char *config_text, size_t config_len);
void policy_release (struct policy *p);

const char *mode_name (enum hr_mode m);

bool string_list_contains (const struct string_list *l, const char *s);
/* Add a copy of s unless l holds it already. */
void string_list_add_unique (struct string_list *l, const char *s);
void string_list_release (struct string_list *l);

/* The built-in texts, compiled in from profiles/. */
extern const char hr_embedded_default[];
extern const size_t hr_embedded_default_len;
extern const char hr_embedded_default_sha256[];
extern const char hr_embedded_restricted[];
extern const size_t hr_embedded_restricted_len;
extern const char hr_embedded_restricted_sha256[];
extern const char hr_embedded_seccomp[];
extern const size_t hr_embedded_seccomp_len;
extern const char hr_embedded_seccomp_sha256[];
extern const struct json *const hr_embedded_default_tree;
extern const struct json *const hr_embedded_restricted_tree;
extern const struct json *const hr_embedded_seccomp_tree;
extern const char hr_embedded_apparmor[];
extern const size_t hr_embedded_apparmor_len;

#endif
