/* The learning filters, made from hardrun's: what each mode allows,
 * notifies and logs, and that nothing hardrun denies comes back. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json_fixture.h"

#include "base/cleanup.h"
#include "learn/filter.h"
#include "spec/spec.h"

static const char base_filter[] =
    "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38, \"architectures\": [\"SCMP_ARCH_X86_64\"],"
    " \"syscalls\": ["
    "  {\"names\": [\"read\", \"write\", \"openat\", \"chmod\", \"getppid\", \"landlock_restrict_self\"],"
    "   \"action\": \"SCMP_ACT_ALLOW\"},"
    "  {\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}]},"
    "  {\"names\": [\"unshare\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1}]}";

/* The action the filter gives name ("" when no rule names it). */
static const char *
action_of (const struct json *filter, const char *name)
{
  const struct json *rules = spec_get (filter, "syscalls");
  for (size_t r = 0; r < rules->arr.len; r++)
    if (json_array_has_string (spec_get (rules->arr.items[r], "names"), name))
      return json_string (spec_get (rules->arr.items[r], "action"));
  return "";
}

static const struct json *
rule_of (const struct json *filter, const char *name)
{
  const struct json *rules = spec_get (filter, "syscalls");
  for (size_t r = 0; r < rules->arr.len; r++)
    if (json_array_has_string (spec_get (rules->arr.items[r], "names"), name))
      return rules->arr.items[r];
  return NULL;
}

static struct json *
learned_with (const char *const *names, size_t n)
{
  struct json *doc = learned_new ("job", NULL);
  for (size_t i = 0; i < n; i++)
    learned_note (doc, LEARNED_SYSCALLS, names[i], 1, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
  learned_set_promoted (doc, true);
  return doc;
}

static void
test_record (void **state)
{
  cleanup_json struct json *filter = parse_json (base_filter);
  cleanup_json struct json *out = learn_filter (filter, LEARNING_RECORD, NULL, "/var/lib/hardrun/agents/x.sock");

  assert_string_equal (json_string (spec_get (out, "listenerPath")), "/var/lib/hardrun/agents/x.sock");
  assert_string_equal (action_of (out, "openat"), "SCMP_ACT_NOTIFY");
  assert_string_equal (action_of (out, "chmod"), "SCMP_ACT_NOTIFY");
  /* runc refuses to notify write; read waits for runc */
  assert_string_equal (action_of (out, "write"), "SCMP_ACT_ALLOW");
  assert_string_equal (action_of (out, "read"), "SCMP_ACT_ALLOW");
  /* a conditional rule keeps its condition */
  assert_string_equal (action_of (out, "personality"), "SCMP_ACT_NOTIFY");
  assert_non_null (spec_get (rule_of (out, "personality"), "args"));
  /* what hardrun denies stays denied, as it was */
  assert_string_equal (action_of (out, "unshare"), "SCMP_ACT_ERRNO");
  assert_string_equal (json_string (spec_get (out, "defaultAction")), "SCMP_ACT_ERRNO");
}

static void
test_enforce (void **state)
{
  static const char *const seen[] = { "openat", "getppid", "ptrace" };
  cleanup_json struct json *filter = parse_json (base_filter);
  cleanup_json struct json *doc = learned_with (seen, 3);
  cleanup_json struct json *out = learn_filter (filter, LEARNING_ENFORCE, doc, "/s.sock");
  cleanup_json struct json *no_agent = learn_filter (filter, LEARNING_ENFORCE, doc, NULL);
  uint64_t errno_ret = 0;

  assert_string_equal (action_of (out, "openat"), "SCMP_ACT_ALLOW");
  assert_string_equal (action_of (out, "write"), "SCMP_ACT_ALLOW");
  /* never recorded, but hardrun-init's Landlock is never cut away */
  assert_string_equal (action_of (out, "landlock_restrict_self"), "SCMP_ACT_ALLOW");
  assert_string_equal (action_of (out, "chmod"), "SCMP_ACT_NOTIFY");
  /* learned, but hardrun's filter never allowed it: the cap holds */
  assert_string_equal (action_of (out, "ptrace"), "");
  assert_string_equal (action_of (no_agent, "chmod"), "SCMP_ACT_ERRNO");
  json_number_to_u64 (spec_get (rule_of (no_agent, "chmod"), "errnoRet"), &errno_ret);
  assert_int_equal (errno_ret, ENOSYS);
  assert_null (spec_get (no_agent, "listenerPath"));
}

static void
test_complain (void **state)
{
  static const char *const seen[] = { "openat" };
  cleanup_json struct json *filter = parse_json (base_filter);
  cleanup_json struct json *doc = learned_with (seen, 1);
  cleanup_json struct json *out = learn_filter (filter, LEARNING_COMPLAIN, doc, NULL);

  assert_string_equal (action_of (out, "openat"), "SCMP_ACT_ALLOW");
  assert_string_equal (action_of (out, "chmod"), "SCMP_ACT_LOG");
  assert_string_equal (action_of (out, "unshare"), "SCMP_ACT_ERRNO");
  assert_null (spec_get (out, "listenerPath"));
}

static void
test_export (void **state)
{
  static const char *const seen[] = { "openat", "ptrace" };
  cleanup_json struct json *filter = parse_json (base_filter);
  cleanup_json struct json *doc = learned_with (seen, 2);
  cleanup_json struct json *out = learn_filter_export (doc, filter);
  cleanup_json struct json *names = learn_allowed_names (doc, filter);

  assert_string_equal (json_string (spec_get (out, "defaultAction")), "SCMP_ACT_ERRNO");
  assert_string_equal (action_of (out, "openat"), "SCMP_ACT_ALLOW");
  assert_string_equal (action_of (out, "chmod"), "SCMP_ACT_ERRNO");
  assert_null (spec_get (out, "listenerPath"));
  assert_string_equal (learned_name (spec_get (out, "hardrun")), "job");
  /* sorted, floor included, capped */
  assert_true (json_array_has_string (names, "write"));
  assert_true (json_array_has_string (names, "openat"));
  assert_false (json_array_has_string (names, "ptrace"));
  for (size_t i = 1; i < names->arr.len; i++)
    assert_true (strcmp (json_string (names->arr.items[i - 1]), json_string (names->arr.items[i])) < 0);
}

static void
test_scratch_dir (void **state)
{
  static const char *const cases[][2] = {
    { "/srv/uploads/a.png", "/srv/uploads" }, { "/var/lib/app/db/x", "/var/lib/app/db" },
    { "/srv//x/../y", "/srv" },               { "/etc/passwd", NULL },
    { "/usr/local/share/x", NULL },           { "/proc/self/fd/1", NULL },
    { "/dev/null", NULL },                    { "/f", NULL },
    { "relative/x", NULL },                   { "/libfoo/x", "/libfoo" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      char *got = learn_scratch_dir (cases[i][0]);
      if (cases[i][1] == NULL)
        assert_null (got);
      else
        assert_string_equal (got, cases[i][1]);
      free (got);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_record),
    cmocka_unit_test (test_enforce),
    cmocka_unit_test (test_complain),
    cmocka_unit_test (test_export),
    cmocka_unit_test (test_scratch_dir),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
