/* A JSON text as a tree, for the unit tests (after cmocka.h). */
#ifndef HARDRUN_TEST_JSON_FIXTURE_H
#define HARDRUN_TEST_JSON_FIXTURE_H

#include <string.h>

#include "spec/json.h"

/* The tree of text; a text that does not parse fails the test. */
static inline struct json *
parse_json (const char *text)
{
  struct json *v = NULL;
  struct hr_error err;
  if (json_parse (text, strlen (text), 0, &v, &err) < 0)
    fail_msg ("%s", err.msg);
  return v;
}

#endif
