/* The closed world: every field of config.json that runc 1.1 reads (the
 * runtime-spec Go types runc 1.1.5 vendors), each with the control that
 * judges it, or "inert: " and why none need to. A field not listed here is
 * one runc does not read and hardrun does not understand: the fields
 * control refuses it. tests/unit/spec/test_fields.c holds this table
 * against the field list derived from runtime-spec's specs-go/config.go
 * (tests/unit/fixtures/runtime-spec/). */
#ifndef HARDRUN_SPEC_FIELDS_H
#define HARDRUN_SPEC_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "spec/json.h"

/* A path is built from the JSON names: "." between fields, "[]" after a
 * slice, "{}" after a map ("linux.resources.devices[].allow"). */
struct spec_field
{
  const char *path;
  const char *owner; /* a control's name, or "inert: why" */
};

/* Sorted by path (byte order). */
extern const struct spec_field spec_fields[];
extern const size_t spec_fields_count;

/* The entry for an exact path, or NULL. */
const struct spec_field *spec_field_find (const char *path);

/* Walk tree as the object at field path `root` ("" for config.json,
 * "process" for a process file, "linux.resources" for update's resources)
 * and find the first member runc would not read, Go's case folding
 * applied. true, with its path in buf; false when every field is known. */
bool spec_unknown_field (const struct json *tree, const char *root, char *buf, size_t len);

#endif
