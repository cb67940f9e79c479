/* The OCI spec layer: reads config.json (or a --process file) the way runc's
 * Go decoder reads it, hands controls an unambiguous tree, and writes it back
 * atomically. Only this layer (through json.c) knows JSON text. */
#ifndef HARDRUN_SPEC_H
#define HARDRUN_SPEC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "base/error.h"
#include "spec/json.h"

/* Bigger files are refused: real configs are a few tens of KiB. */
#define SPEC_MAX_BYTES (8u * 1024 * 1024)

enum spec_kind
{
  SPEC_CONFIG,  /* a bundle's config.json */
  SPEC_PROCESS, /* an exec --process file */
};

struct spec
{
  struct json *root;
  char *raw; /* the bytes as read */
  size_t raw_len;
  mode_t mode;
  uid_t uid;
  gid_t gid;
  unsigned collapsed_keys; /* duplicate keys folded the way runc reads them */
  char collapsed_example[128];
};

/* Parse and normalize bytes. The tree afterwards has at most one member per
 * modelled spec field, holding the value runc would decode, and every
 * modelled field has the JSON type runc needs. */
int spec_parse (const char *buf, size_t len, enum spec_kind kind, struct spec *out,
                struct hr_error *err);

/* Read a regular file open at fd, whole. */
int spec_read_fd (int fd, const char *name, char **out, size_t *out_len, struct stat *st, struct hr_error *err);
/* Read a file without following a symlink in its last component. */
int spec_read_file (int dirfd, const char *name, char **out, size_t *out_len, struct stat *st,
                    struct hr_error *err);
/* Read what an open file, pipe or terminal gives until its end, at most
 * SPEC_MAX_BYTES: a file given as /dev/stdin or /dev/fd/N. */
int spec_read_stream (int fd, const char *name, char **out, size_t *out_len, struct hr_error *err);
/* Parse bytes read already; out takes them, also on failure (release with
 * spec_release). */
int spec_load_bytes (char *raw, size_t len, enum spec_kind kind, struct spec *out, struct hr_error *err);
/* On a parse failure out->raw still holds the bytes read (release with
 * spec_release). */
int spec_load (int dirfd, const char *name, enum spec_kind kind, struct spec *out,
               struct hr_error *err);

/* Serialize; compact unless pretty. */
int spec_serialize (const struct spec *spec, bool pretty, char **out, size_t *out_len,
                    struct hr_error *err);

/* Write bytes to dirfd/name atomically: a temp file in the same directory,
 * renamed over the old one. Mode and owner as given. */
int spec_write_atomic (int dirfd, const char *name, const char *data, size_t len, mode_t mode,
                       uid_t uid, gid_t gid, struct hr_error *err);

void spec_release (struct spec *spec);

/* Field access by Go's matching rules, on a normalized tree. */
struct json *spec_get (const struct json *object, const char *field);
/* A mount runc makes a bind: type "bind", or "bind" or "rbind" among its
 * options, whatever the type. */
bool spec_mount_is_bind (const struct json *mount);
/* linux.namespaces lists a namespace of this type (a new one, or joined). */
bool spec_has_namespace (const struct json *spec, const char *type);
/* spec_get along a NULL-terminated list of fields. */
struct json *spec_get_path (const struct json *root, ...) __attribute__ ((sentinel));
/* Set a field (replacing the value runc reads, else appending). Takes value. */
void spec_set (struct json *object, const char *field, struct json *value);
/* Walk/create objects along a NULL-terminated path; a null there becomes {}. */
struct json *spec_ensure_object (struct json *root, ...) __attribute__ ((sentinel));

#endif
