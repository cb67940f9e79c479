/* A profile, host facts and a config to run one control on, for the control
 * tests. */
#ifndef HARDRUN_TEST_CONTROL_FIXTURE_H
#define HARDRUN_TEST_CONTROL_FIXTURE_H

#include <seccomp.h>

#include "controls/control.h"
#include "policy/configuration.h"
#include "helpers.h"
#include "policy/policy.h"
#include "spec/spec.h"

struct fixture
{
  struct policy policy;
  struct host_facts host;
  struct spec spec;
  struct decision decision;
};

/* A built-in profile on an x86_64 host. */
static inline int
fixture_setup (void **state, const char *profile)
{
  struct fixture *f = calloc (1, sizeof *f);
  struct hr_error err;
  struct hr_config none = { .default_profile = (char *) "default" };
  if (config_build_profile (&none, profile, true, &f->policy, &err) < 0)
    return -1;
  f->host.native_arch = SCMP_ARCH_X86_64;
  f->host.arches[0] = "SCMP_ARCH_X86_64";
  f->host.arches[1] = "SCMP_ARCH_X86";
  f->host.arches[2] = "SCMP_ARCH_X32";
  f->host.n_arches = 3;
  *state = f;
  return 0;
}

static inline int
setup (void **state)
{
  return fixture_setup (state, "default");
}

static inline int
setup_restricted (void **state)
{
  return fixture_setup (state, "restricted");
}

static inline int
teardown (void **state)
{
  struct fixture *f = *state;
  policy_release (&f->policy);
  spec_release (&f->spec);
  decision_release (&f->decision);
  host_facts_release (&f->host);
  free (f);
  return 0;
}

/* Parse a config.json text; the previous decision is dropped. */
static inline void
load (struct fixture *f, const char *text)
{
  struct hr_error err = { 0 };
  spec_release (&f->spec);
  decision_release (&f->decision);
  if (spec_parse (text, strlen (text), SPEC_CONFIG, &f->spec, &err) < 0)
    fail_msg ("%s", err.msg);
}

static inline void
load_fixture (struct fixture *f, const char *name)
{
  size_t len = 0;
  char *raw = read_fixture (ENGINE_FIXTURES_DIR, name, &len);
  assert_non_null (raw);
  load (f, raw);
  free (raw);
}

static inline void
run (struct fixture *f, enum control_id id, control_fn fn)
{
  struct hr_error err = { 0 };
  struct control_ctx ctx = { id, f->policy.actions[id], f->spec.root, &f->policy, &f->host,
                             &f->decision };
  if (fn (&ctx, &err) < 0)
    fail_msg ("%s", err.msg);
}

static inline bool
array_has (const struct json *arr, const char *s)
{
  for (size_t i = 0; json_is (arr, JSON_ARRAY) && i < arr->arr.len; i++)
    if (json_string (arr->arr.items[i]) && strcmp (json_string (arr->arr.items[i]), s) == 0)
      return true;
  return false;
}

static inline size_t
count (const struct fixture *f, enum decision_kind kind, const char *control)
{
  size_t n = 0;
  for (size_t i = 0; i < f->decision.len; i++)
    n += f->decision.items[i].kind == kind && strcmp (f->decision.items[i].control, control) == 0;
  return n;
}

static inline bool
message_has (const struct fixture *f, const char *needle)
{
  for (size_t i = 0; i < f->decision.len; i++)
    if (f->decision.items[i].message && strstr (f->decision.items[i].message, needle))
      return true;
  return false;
}

#endif
