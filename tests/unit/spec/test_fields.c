/* The closed world's table (spec/fields.c) held against the fields of
 * runtime-spec's Go types as runc 1.1.5 vendors them. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helpers.h"
#include "policy/control_id.h"
#include "spec/fields.h"
#include "spec/json.h"

#define SPEC_FIELDS_DIR FIXTURES_DIR "/runtime-spec"

/* The paths of a fields file, each with prefix before it. */
static char **
read_paths (const char *name, const char *prefix, size_t *n)
{
  size_t len;
  char *text = read_fixture (SPEC_FIELDS_DIR, name, &len);
  char **paths = NULL;

  assert_non_null (text);
  *n = 0;
  for (char *line = strtok (text, "\n"); line != NULL; line = strtok (NULL, "\n"))
    {
      char *tab = strchr (line, '\t');
      if (line[0] == '#')
        continue;
      assert_non_null (tab);
      *tab = '\0';
      paths = realloc (paths, (*n + 1) * sizeof *paths);
      paths[*n] = malloc (strlen (prefix) + strlen (line) + 1);
      sprintf (paths[(*n)++], "%s%s", prefix, line);
    }
  free (text);
  return paths;
}

static void
free_paths (char **paths, size_t n)
{
  for (size_t i = 0; i < n; i++)
    free (paths[i]);
  free (paths);
}

static void
test_every_field_of_the_go_types_is_listed (void **state)
{
  size_t n;
  char **paths = read_paths ("fields.txt", "", &n);

  (void) state;
  assert_true (n > 200);
  for (size_t i = 0; i < n; i++)
    if (spec_field_find (paths[i]) == NULL)
      fail_msg ("%s: a field runc reads, with no owner in src/spec/fields.c", paths[i]);
  /* and nothing else: the table is exactly the Go types */
  assert_int_equal (spec_fields_count, n);
  free_paths (paths, n);
}

static void
test_process_files_and_update_resources_are_subtrees (void **state)
{
  size_t n;
  char **paths = read_paths ("process-fields.txt", "process.", &n);

  (void) state;
  for (size_t i = 0; i < n; i++)
    if (spec_field_find (paths[i]) == NULL)
      fail_msg ("%s: a process-file field with no owner", paths[i]);
  free_paths (paths, n);
  paths = read_paths ("resources-fields.txt", "linux.resources.", &n);
  for (size_t i = 0; i < n; i++)
    if (spec_field_find (paths[i]) == NULL)
      fail_msg ("%s: an update resource with no owner", paths[i]);
  free_paths (paths, n);
}

static void
test_every_owner_is_a_control_or_says_why_not (void **state)
{
  (void) state;
  for (size_t i = 0; i < spec_fields_count; i++)
    {
      const char *owner = spec_fields[i].owner;
      enum control_id id;
      if (strncmp (owner, "inert: ", 7) == 0)
        assert_true (strlen (owner) > 20); /* a reason, not a shrug */
      else if (control_from_name (owner, &id) < 0)
        fail_msg ("%s: owner \"%s\" is no control", spec_fields[i].path, owner);
      if (i > 0)
        assert_true (strcmp (spec_fields[i - 1].path, spec_fields[i].path) < 0); /* sorted */
    }
}

static bool
unknown (const char *text, const char *root, char *path, size_t len)
{
  struct json *v = NULL;
  struct hr_error err;
  bool r;

  assert_int_equal (json_parse (text, strlen (text), 0, &v, &err), 0);
  r = spec_unknown_field (v, root, path, len);
  json_free (v);
  return r;
}

static void
test_unknown_fields_are_found (void **state)
{
  char path[256];

  (void) state;
  assert_false (unknown ("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"user\":{\"uid\":0}},"
                         "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\"}],"
                         "\"linux\":{\"resources\":{\"rdma\":{\"mlx\":{\"hcaHandles\":1}}},"
                         "\"sysctl\":{\"net.x\":\"1\"}},\"annotations\":{\"a.b\":\"c\"}}",
                         "", path, sizeof path));
  /* Go folds names: runc reads these, so they are known */
  assert_false (unknown ("{\"Process\":{\"ARGS\":[\"sh\"]},\"linux\":{\"Namespaces\":[{\"TYPE\":\"pid\"}]}}", "",
                         path, sizeof path));
  assert_true (unknown ("{\"linux\":{\"resources\":{\"memory\":{\"limit\":1,\"swapiness\":1}}}}", "", path,
                        sizeof path));
  assert_string_equal (path, "linux.resources.memory.swapiness");
  assert_true (unknown ("{\"mounts\":[{\"destination\":\"/x\"},{\"destination\":\"/y\",\"idmap\":[]}]}", "", path,
                        sizeof path));
  assert_string_equal (path, "mounts[].idmap");
  assert_true (unknown ("{\"linux\":{\"resources\":{\"rdma\":{\"mlx\":{\"hcaHandlez\":1}}}}}", "", path,
                        sizeof path));
  assert_string_equal (path, "linux.resources.rdma{}.hcaHandlez");
  assert_true (unknown ("{\"process\":{},\"scheduler\":{}}", "", path, sizeof path));
  assert_string_equal (path, "scheduler");
  /* a process file and update's resources are walked from their own roots */
  assert_false (unknown ("{\"args\":[\"sh\"],\"capabilities\":{\"bounding\":[]}}", "process", path, sizeof path));
  assert_true (unknown ("{\"args\":[\"sh\"],\"ioPriority\":{}}", "process", path, sizeof path));
  assert_string_equal (path, "process.ioPriority");
  assert_false (unknown ("{\"pids\":{\"limit\":5}}", "linux.resources", path, sizeof path));
  assert_true (unknown ("{\"pids\":{\"max\":5}}", "linux.resources", path, sizeof path));
  assert_string_equal (path, "linux.resources.pids.max");
}

static void
test_engine_configs_are_known (void **state)
{
  static const char *const names[] = { "cri-sandbox.json", "ctr.json", "docker.json", "podman.json" };
  char path[256];

  (void) state;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    {
      size_t len;
      char *text = read_fixture (ENGINE_FIXTURES_DIR, names[i], &len);
      assert_non_null (text);
      if (unknown (text, "", path, sizeof path))
        fail_msg ("%s: %s is unknown", names[i], path);
      free (text);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_every_field_of_the_go_types_is_listed),
    cmocka_unit_test (test_process_files_and_update_resources_are_subtrees),
    cmocka_unit_test (test_every_owner_is_a_control_or_says_why_not),
    cmocka_unit_test (test_unknown_fields_are_found),
    cmocka_unit_test (test_engine_configs_are_known),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
