/* The merge of a config's seccomp filter with hardrun's profile: one row
 * per case (the config's rules, hardrun's, the merged rules for one
 * syscall), and for every row a check, by evaluating all three filters on
 * argument values around every condition, that the merge is at least as
 * strict as both, and that merging again changes nothing. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json_fixture.h"

#include "base/cleanup.h"
#include "control_fixture.h"
#include "controls/seccomp_merge.h"
#include "controls/seccomp_profile.h"
#include "spec/spec.h"

#define ENOSYS_DEFAULT "\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38"
#define RULE(name, act, more) "{\"names\":[\"" name "\"],\"action\":\"SCMP_ACT_" act "\"" more "}"
#define ALLOW(name) RULE (name, "ALLOW", "")
#define RET(n) ",\"errnoRet\":" #n
#define ARGS(a) ",\"args\":[" a "]"
#define ARG(i, op, v) "{\"index\":" #i ",\"value\":" #v ",\"op\":\"SCMP_CMP_" #op "\"}"
#define MASKED(i, mask, v) "{\"index\":" #i ",\"value\":" #mask ",\"valueTwo\":" #v ",\"op\":\"SCMP_CMP_MASKED_EQ\"}"

struct merge_case
{
  const char *what;
  const char *config_default; /* defaultAction (and defaultErrnoRet) */
  const char *config_rules;
  const char *hardrun_rules;  /* under defaultAction ERRNO, defaultErrnoRet 38 */
  const char *syscall;
  const char *expect;         /* its merged rules, sorted, "; " between */
  const char *expect_default;
  size_t widened;
};

static const struct merge_case cases[] = {
  { "the config's KILL beats hardrun's ALLOW", "\"SCMP_ACT_ALLOW\"",
    RULE ("mkdir", "KILL_PROCESS", ""), ALLOW ("mkdir"), "mkdir", "KILL_PROCESS", "ERRNO/38", 0 },
  { "the config's ERRNO keeps its errno where hardrun allows", ENOSYS_DEFAULT,
    RULE ("symlink", "ERRNO", RET (26)), ALLOW ("symlink"), "symlink", "ERRNO/26", "ERRNO/38", 0 },
  { "hardrun's default deny beats the config's ALLOW", ENOSYS_DEFAULT, ALLOW ("ptrace"), "",
    "ptrace", "", "ERRNO/38", 0 },
  { "hardrun's deny beats the config's NOTIFY", "\"SCMP_ACT_ALLOW\"", RULE ("ptrace", "NOTIFY", ""),
    "", "ptrace", "", "ERRNO/38", 0 },
  { "the config's NOTIFY is kept where hardrun allows", ENOSYS_DEFAULT,
    RULE ("mkdir", "NOTIFY", ""), ALLOW ("mkdir"), "mkdir", "NOTIFY", "ERRNO/38", 0 },
  { "LOG is stricter than ALLOW", ENOSYS_DEFAULT, RULE ("getpid", "LOG", ""), ALLOW ("getpid"),
    "getpid", "LOG", "ERRNO/38", 0 },
  { "the config's TRAP beats hardrun's ERRNO", ENOSYS_DEFAULT, RULE ("mount", "TRAP", ""), "",
    "mount", "TRAP", "ERRNO/38", 0 },
  { "hardrun's ERRNO beats the config's TRACE", ENOSYS_DEFAULT, RULE ("mount", "TRACE", ""), "",
    "mount", "", "ERRNO/38", 0 },
  { "ERRNO on both: the config's errno where its rule names the syscall", ENOSYS_DEFAULT,
    RULE ("mount", "ERRNO", RET (1)), RULE ("mount", "ERRNO", RET (95)), "mount", "ERRNO/1",
    "ERRNO/38", 0 },
  { "ERRNO defaults on both: hardrun's errno", "\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1",
    ALLOW ("read"), ALLOW ("read"), "read", "ALLOW", "ERRNO/38", 0 },
  { "the config's stricter default is the merged default", "\"SCMP_ACT_KILL_PROCESS\"",
    ALLOW ("read"), ALLOW ("read") "," ALLOW ("write"), "write", "", "KILL_PROCESS", 0 },
  { "the config's default denies what hardrun allows, with its errno",
    "\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":13", ALLOW ("read"), ALLOW ("write"), "write",
    "ERRNO/13", "ERRNO/38", 0 },
  { "a conditional ALLOW beats an unconditional one (config's)", ENOSYS_DEFAULT,
    RULE ("personality", "ALLOW", ARGS (ARG (0, EQ, 0))), ALLOW ("personality"), "personality",
    "ALLOW a0==0", "ERRNO/38", 0 },
  { "a conditional ALLOW beats an unconditional one (hardrun's)", ENOSYS_DEFAULT,
    ALLOW ("personality"), RULE ("personality", "ALLOW", ARGS (ARG (0, EQ, 0))), "personality",
    "ALLOW a0==0", "ERRNO/38", 0 },
  { "two conditional ALLOWs: the values both allow", ENOSYS_DEFAULT,
    RULE ("personality", "ALLOW", ARGS (ARG (0, EQ, 0))) ","
    RULE ("personality", "ALLOW", ARGS (ARG (0, EQ, 8))),
    RULE ("personality", "ALLOW", ARGS (ARG (0, EQ, 0))) ","
    RULE ("personality", "ALLOW", ARGS (ARG (0, EQ, 131072))),
    "personality", "ALLOW a0==0", "ERRNO/38", 0 },
  { "conditions on two arguments: one rule with both", ENOSYS_DEFAULT,
    RULE ("socket", "ALLOW", ARGS (ARG (2, NE, 9))), RULE ("socket", "ALLOW", ARGS (ARG (0, EQ, 1))),
    "socket", "ALLOW a0==1 a2!=9", "ERRNO/38", 0 },
  { "... and the config's default errno where only hardrun allows", "\"SCMP_ACT_ERRNO\"",
    RULE ("socket", "ALLOW", ARGS (ARG (2, NE, 9))), RULE ("socket", "ALLOW", ARGS (ARG (0, EQ, 1))),
    "socket", "ALLOW a0==1 a2!=9; ERRNO a0==1 a2==9", "ERRNO/38", 0 },
  { "podman's socket rules within hardrun's families", ENOSYS_DEFAULT,
    RULE ("socket", "ERRNO", RET (22) ARGS (ARG (0, EQ, 16) "," ARG (2, EQ, 9))) ","
    RULE ("socket", "ALLOW", ARGS (ARG (2, NE, 9))) "," RULE ("socket", "ALLOW", ARGS (ARG (0, NE, 16))),
    RULE ("socket", "ALLOW", ARGS (ARG (0, EQ, 1))) "," RULE ("socket", "ALLOW", ARGS (ARG (0, EQ, 16))),
    "socket", "ALLOW a0==1; ALLOW a0==16 a2!=9; ERRNO/22 a0==16 a2==9", "ERRNO/38", 0 },
  { "an intersection that cannot be written is denied", ENOSYS_DEFAULT,
    RULE ("socket", "ALLOW", ARGS (ARG (0, GE, 2))), RULE ("socket", "ALLOW", ARGS (ARG (0, LE, 10))),
    "socket", "", "ERRNO/38", 1 },
  { "MASKED_EQ conditions combine into one mask", ENOSYS_DEFAULT,
    RULE ("clone", "ALLOW", ARGS (MASKED (0, 256, 0))),
    RULE ("clone", "ALLOW", ARGS (MASKED (0, 2114060288, 0))), "clone",
    "ALLOW a0&0x7e020100==0", "ERRNO/38", 0 },
  /* runc's own test: the config limits socket's protocol, hardrun its family;
     both limits hold together, and the values either leaves out fall to the
     default without a complement (of MASKED_EQ, which seccomp lacks) */
  { "conditions on different arguments meet in one rule", ENOSYS_DEFAULT,
    RULE ("socket", "ALLOW", ARGS (MASKED (2, 3840, 0))),
    RULE ("socket", "ALLOW", ARGS (ARG (0, EQ, 1))) "," RULE ("socket", "ALLOW", ARGS (ARG (0, EQ, 2))), "socket",
    "ALLOW a0==1 a2&0xf00==0; ALLOW a0==2 a2&0xf00==0", "ERRNO/38", 0 },
  { "...also where the config's default errno differs", "\"SCMP_ACT_ERRNO\"",
    RULE ("socket", "ALLOW", ARGS (MASKED (2, 3840, 0))),
    RULE ("socket", "ALLOW", ARGS (ARG (0, EQ, 1))) "," RULE ("socket", "ALLOW", ARGS (ARG (0, EQ, 2))), "socket",
    "ALLOW a0==1 a2&0xf00==0; ALLOW a0==2 a2&0xf00==0", "ERRNO/38", 0 },
  { "the config's unconditional ERRNO over hardrun's argument rules", ENOSYS_DEFAULT,
    RULE ("socket", "ERRNO", RET (13)), RULE ("socket", "ALLOW", ARGS (ARG (0, EQ, 1))), "socket",
    "ERRNO/13", "ERRNO/38", 0 },
  { "a deny for one argument value, both allowing the rest", "\"SCMP_ACT_ALLOW\"",
    RULE ("ioctl", "ERRNO", RET (1) ARGS (ARG (1, EQ, 21522))), ALLOW ("ioctl"), "ioctl",
    "ALLOW a1!=21522; ERRNO/1 a1==21522", "ERRNO/38", 0 },
  { "the rest cannot be written: it falls to the default", "\"SCMP_ACT_ALLOW\"",
    RULE ("ioctl", "ERRNO", RET (1) ARGS (ARG (1, EQ, 1))) ","
    RULE ("ioctl", "ERRNO", RET (1) ARGS (ARG (1, EQ, 2))), ALLOW ("ioctl"), "ioctl",
    "ERRNO/1 a1==1; ERRNO/1 a1==2", "ERRNO/38", 1 },
  { "runc ORs the conditions of a rule that tests an argument twice", ENOSYS_DEFAULT,
    RULE ("personality", "ALLOW", ARGS (ARG (0, EQ, 0) "," ARG (0, EQ, 8))),
    RULE ("personality", "ALLOW", ARGS (ARG (0, EQ, 8))), "personality", "ALLOW a0==8", "ERRNO/38",
    0 },
  { "an unconditional rule and argument rules in one filter: the stricter", ENOSYS_DEFAULT,
    ALLOW ("socket") "," RULE ("socket", "KILL", ARGS (ARG (0, EQ, 40))), ALLOW ("socket"), "socket",
    "ALLOW a0!=40; KILL a0==40", "ERRNO/38", 0 },
};

static struct json *
filter_of (const char *def, const char *rules, const char *extra)
{
  cleanup_free char *text = hr_xasprintf ("{\"defaultAction\":%s,\"architectures\":"
                                          "[\"SCMP_ARCH_X86_64\"]%s,\"syscalls\":[%s]}",
                                          def, extra, rules);
  return parse_json (text);
}

static uint64_t
num (const struct json *v)
{
  uint64_t u = 0;
  json_number_to_u64 (v, &u);
  return u;
}

static const char *
short_action (const struct json *obj, const char *key, const char *ret_key, char *buf, size_t len)
{
  const char *a = json_string (spec_get (obj, key)) + strlen ("SCMP_ACT_");
  const struct json *ret = spec_get (obj, ret_key);
  if (ret)
    snprintf (buf, len, "%s/%llu", a, (unsigned long long) num (ret));
  else
    snprintf (buf, len, "%s", a);
  return buf;
}

static void
render_rule (const struct json *rule, char *buf, size_t len)
{
  static const char *const ops[][2] = { { "SCMP_CMP_NE", "!=" }, { "SCMP_CMP_LT", "<" },
                                        { "SCMP_CMP_LE", "<=" }, { "SCMP_CMP_EQ", "==" },
                                        { "SCMP_CMP_GE", ">=" }, { "SCMP_CMP_GT", ">" } };
  const struct json *args = spec_get (rule, "args");
  size_t k;

  short_action (rule, "action", "errnoRet", buf, len);
  for (size_t i = 0; json_is (args, JSON_ARRAY) && i < args->arr.len; i++)
    {
      const struct json *a = args->arr.items[i];
      const char *op = json_string (spec_get (a, "op")), *sym = NULL;
      k = strlen (buf);
      for (size_t o = 0; o < 6; o++)
        if (strcmp (op, ops[o][0]) == 0)
          sym = ops[o][1];
      if (sym)
        snprintf (buf + k, len - k, " a%llu%s%llu", (unsigned long long) num (spec_get (a, "index")),
                  sym, (unsigned long long) num (spec_get (a, "value")));
      else
        snprintf (buf + k, len - k, " a%llu&0x%llx==%llu",
                  (unsigned long long) num (spec_get (a, "index")),
                  (unsigned long long) num (spec_get (a, "value")),
                  (unsigned long long) num (spec_get (a, "valueTwo")));
    }
}

static int
str_cmp (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The merged rules naming `name`, sorted, "; " between. */
static void
render (const struct json *filter, const char *name, char *out, size_t len)
{
  const struct json *rules = spec_get (filter, "syscalls");
  char *parts[64];
  size_t n = 0;

  out[0] = '\0';
  for (size_t i = 0; i < rules->arr.len && n < 64; i++)
    if (json_array_has_string (spec_get (rules->arr.items[i], "names"), name))
      {
        char buf[256];
        render_rule (rules->arr.items[i], buf, sizeof buf);
        parts[n++] = hr_xstrdup (buf);
      }
  qsort (parts, n, sizeof *parts, str_cmp);
  for (size_t i = 0; i < n; i++)
    {
      size_t k = strlen (out);
      snprintf (out + k, len - k, "%s%s", i ? "; " : "", parts[i]);
      free (parts[i]);
    }
}

/* ---- an evaluator: what a filter does for one call, read as runc and
 * libseccomp build it ---- */

static int
class_of (const char *action)
{
  static const char *const order[] = { "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL", "SCMP_ACT_TRAP",
                                       "SCMP_ACT_ERRNO", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE",
                                       "SCMP_ACT_LOG", "SCMP_ACT_ALLOW" };
  if (strcmp (action, "SCMP_ACT_KILL_THREAD") == 0)
    return 1;
  for (int i = 0; i < 8; i++)
    if (strcmp (action, order[i]) == 0)
      return i;
  fail_msg ("unknown action %s", action);
  return -1;
}

static bool
arg_holds (const struct json *a, const uint64_t args[6])
{
  uint64_t x = args[num (spec_get (a, "index"))], v = num (spec_get (a, "value"));
  const char *op = json_string (spec_get (a, "op"));
  if (strcmp (op, "SCMP_CMP_NE") == 0)
    return x != v;
  if (strcmp (op, "SCMP_CMP_LT") == 0)
    return x < v;
  if (strcmp (op, "SCMP_CMP_LE") == 0)
    return x <= v;
  if (strcmp (op, "SCMP_CMP_EQ") == 0)
    return x == v;
  if (strcmp (op, "SCMP_CMP_GE") == 0)
    return x >= v;
  if (strcmp (op, "SCMP_CMP_GT") == 0)
    return x > v;
  return (x & v) == num (spec_get (a, "valueTwo"));
}

/* runc ANDs a rule's conditions, or ORs them when one argument is tested twice. */
static bool
rule_matches (const struct json *args, const uint64_t vals[6])
{
  bool twice = false, all = true, any = false;
  unsigned seen = 0;

  for (size_t i = 0; i < args->arr.len; i++)
    {
      unsigned idx = (unsigned) num (spec_get (args->arr.items[i], "index"));
      twice = twice || (seen & (1u << idx));
      seen |= 1u << idx;
      all = all && arg_holds (args->arr.items[i], vals);
      any = any || arg_holds (args->arr.items[i], vals);
    }
  return twice ? any : all;
}

/* The classes of the actions the filter may take (libseccomp picks one of
 * the matching argument rules; an unconditional rule overrides them):
 * *strictest and *weakest. */
static void
evaluate (const struct json *filter, const char *name, const uint64_t vals[6], int *strictest,
          int *weakest)
{
  const struct json *rules = spec_get (filter, "syscalls");
  int uncond = 99, lo = 99, hi = -1;

  for (size_t i = 0; i < rules->arr.len; i++)
    {
      const struct json *r = rules->arr.items[i], *args = spec_get (r, "args");
      int c = class_of (json_string (spec_get (r, "action")));
      if (!json_array_has_string (spec_get (r, "names"), name))
        continue;
      if (!json_is (args, JSON_ARRAY) || args->arr.len == 0)
        uncond = c < uncond ? c : uncond;
      else if (rule_matches (args, vals))
        lo = c < lo ? c : lo, hi = c > hi ? c : hi;
    }
  if (uncond != 99)
    lo = hi = uncond;
  if (hi < 0)
    lo = hi = class_of (json_string (spec_get (filter, "defaultAction")));
  *strictest = lo;
  *weakest = hi;
}

/* Argument values around every condition of the filters. */
static void
sample_values (const struct json *const filters[3], uint64_t vals[6][12], size_t nvals[6])
{
  for (int i = 0; i < 6; i++)
    vals[i][0] = 0, vals[i][1] = UINT64_MAX, nvals[i] = 2;
  for (int f = 0; f < 3; f++)
    {
      const struct json *rules = spec_get (filters[f], "syscalls");
      for (size_t r = 0; r < rules->arr.len; r++)
        {
          const struct json *args = spec_get (rules->arr.items[r], "args");
          for (size_t a = 0; json_is (args, JSON_ARRAY) && a < args->arr.len; a++)
            {
              unsigned idx = (unsigned) num (spec_get (args->arr.items[a], "index"));
              uint64_t v = num (spec_get (args->arr.items[a], "value"));
              uint64_t cand[] = { v, v - 1, v + 1, v | 1, num (spec_get (args->arr.items[a], "valueTwo")) };
              for (size_t c = 0; c < 5 && nvals[idx] < 12; c++)
                vals[idx][nvals[idx]++] = cand[c];
            }
        }
    }
}

/* For every sampled call: every action the merge may take is at least as
 * strict as the strictest the config's or hardrun's filter may take. */
static bool
sound (const struct json *config, const struct json *ref, const struct json *merged,
       const char *name, const char *what)
{
  const struct json *const filters[3] = { config, ref, merged };
  uint64_t vals[6][12], call[6] = { 0 };
  size_t nvals[6], total = 1;

  sample_values (filters, vals, nvals);
  for (int i = 0; i < 3; i++)
    total *= nvals[i];
  for (size_t k = 0; k < total; k++)
    {
      int cs, cw, hs, hw, ms, mw;
      size_t rest = k;
      for (int i = 0; i < 3; i++)
        call[i] = vals[i][rest % nvals[i]], rest /= nvals[i];
      evaluate (config, name, call, &cs, &cw);
      evaluate (ref, name, call, &hs, &hw);
      evaluate (merged, name, call, &ms, &mw);
      if (mw > (cs < hs ? cs : hs))
        {
          print_error ("%s: %s(%llu, %llu, %llu): the merge may take class %d, the filters %d "
                       "and %d\n", what, name, (unsigned long long) call[0],
                       (unsigned long long) call[1], (unsigned long long) call[2], mw, cs, hs);
          return false;
        }
    }
  return true;
}

/* For every sampled call of `name`, a and b may take the same classes. */
static bool
same_classes (const struct json *a, const struct json *b, const char *name, const char *what)
{
  const struct json *const filters[3] = { a, b, b };
  uint64_t vals[6][12], call[6] = { 0 };
  size_t nvals[6], total = 1;

  sample_values (filters, vals, nvals);
  for (int i = 0; i < 3; i++)
    total *= nvals[i];
  for (size_t k = 0; k < total; k++)
    {
      int as, aw, bs, bw;
      size_t rest = k;
      for (int i = 0; i < 3; i++)
        call[i] = vals[i][rest % nvals[i]], rest /= nvals[i];
      evaluate (a, name, call, &as, &aw);
      evaluate (b, name, call, &bs, &bw);
      if (as != bs || aw != bw)
        return print_error ("%s: %s: classes %d..%d against %d..%d\n", what, name, as, aw, bs, bw), false;
    }
  return true;
}

/* seccomp_filter_within says the merge is the profile: then it is, in the
 * default and for every syscall either filter names. */
static bool
within_holds (const struct json *config, const struct json *ref, const struct json *merged, const char *what)
{
  char d1[64], d2[64];

  short_action (ref, "defaultAction", "defaultErrnoRet", d1, sizeof d1);
  short_action (merged, "defaultAction", "defaultErrnoRet", d2, sizeof d2);
  if (strcmp (d1, d2) != 0)
    return print_error ("%s: default %s, the merge's %s\n", what, d1, d2), false;
  for (int f = 0; f < 2; f++)
    {
      const struct json *rules = spec_get (f ? ref : config, "syscalls");
      for (size_t r = 0; json_is (rules, JSON_ARRAY) && r < rules->arr.len; r++)
        {
          const struct json *names = spec_get (rules->arr.items[r], "names");
          for (size_t i = 0; i < names->arr.len; i++)
            if (!same_classes (ref, merged, json_string (names->arr.items[i]), what))
              return false;
        }
    }
  return true;
}

/* One row: false, with the reason printed, when it does not hold. */
static bool
case_holds (const struct merge_case *c)
{
  cleanup_json struct json *config = filter_of (c->config_default, c->config_rules,
                                                ",\"listenerPath\":\"/run/agent.sock\"");
  cleanup_json struct json *ref = filter_of (ENOSYS_DEFAULT, c->hardrun_rules, "");
  cleanup_json struct json *merged = NULL, *again = NULL;
  struct seccomp_merge_counts counts;
  struct hr_error err = { 0 };
  char reason[512], got[1024], def[64];

  if (seccomp_filter_merge (config, ref, &merged, &counts, reason, sizeof reason, &err) < 0)
    return print_error ("%s: %s\n", c->what, err.msg), false;
  render (merged, c->syscall, got, sizeof got);
  short_action (merged, "defaultAction", "defaultErrnoRet", def, sizeof def);
  if (strcmp (got, c->expect) != 0 || strcmp (def, c->expect_default) != 0)
    return print_error ("%s: %s is [%s] under %s, expected [%s] under %s\n", c->what, c->syscall,
                        got, def, c->expect, c->expect_default),
           false;
  if (counts.widened != c->widened)
    return print_error ("%s: %zu rules widened, expected %zu\n", c->what, counts.widened,
                        c->widened),
           false;
  if (!sound (config, ref, merged, c->syscall, c->what))
    return false;
  if (seccomp_filter_within (config, ref) && !within_holds (config, ref, merged, c->what))
    return false;
  /* merging the merged filter again changes nothing */
  if (seccomp_filter_merge (merged, ref, &again, &counts, reason, sizeof reason, &err) < 0
      || !json_equal (merged, again))
    return print_error ("%s: a second merge changes the filter\n", c->what), false;
  return true;
}

static void
test_merge_table (void **state)
{
  size_t failed = 0, n = sizeof cases / sizeof cases[0];

  (void) state;
  for (size_t i = 0; i < n; i++)
    failed += !case_holds (&cases[i]);
  if (failed)
    fail_msg ("%zu of %zu rows fail", failed, n);
}

static struct json *
merge_ok (const struct json *config, const struct json *ref, struct seccomp_merge_counts *counts,
          char *reason, size_t len)
{
  struct json *out = NULL;
  struct hr_error err = { 0 };
  if (seccomp_filter_merge (config, ref, &out, counts, reason, len, &err) < 0)
    fail_msg ("%s", err.msg);
  return out;
}

/* The agent's socket goes with its notify rules, and only with them. */
static void
test_listener_kept_with_notify (void **state)
{
  const char *extra = ",\"listenerPath\":\"/run/agent.sock\",\"listenerMetadata\":\"m\"";
  cleanup_json struct json *ref = filter_of (ENOSYS_DEFAULT, ALLOW ("mkdir"), "");
  cleanup_json struct json *kept = filter_of (ENOSYS_DEFAULT, RULE ("mkdir", "NOTIFY", ""), extra);
  cleanup_json struct json *denied = filter_of (ENOSYS_DEFAULT, RULE ("ptrace", "NOTIFY", ""), extra);
  cleanup_json struct json *a = NULL, *b = NULL;
  struct seccomp_merge_counts counts;
  char reason[512];

  (void) state;
  a = merge_ok (kept, ref, &counts, reason, sizeof reason);
  assert_string_equal (json_string (spec_get (a, "listenerPath")), "/run/agent.sock");
  assert_string_equal (json_string (spec_get (a, "listenerMetadata")), "m");
  assert_int_equal (counts.notify, 1);
  assert_non_null (strstr (reason, "its notify agent for 1"));
  b = merge_ok (denied, ref, &counts, reason, sizeof reason);
  assert_null (spec_get (b, "listenerPath"));
  assert_null (spec_get (b, "listenerMetadata"));
  assert_int_equal (counts.notify, 0);
}

static void
test_architectures_both_admit (void **state)
{
  static const char *const rows[][3] = {
    /* the config's, hardrun's, merged */
    { "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"]", "[\"SCMP_ARCH_X86_64\"]", "[\"SCMP_ARCH_X86_64\"]" },
    { "[]", "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"]", "[\"SCMP_ARCH_X86_64\"]" },
    { "[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]", "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"]",
      "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"]" },
  };
  (void) state;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    {
      cleanup_free char *c = hr_xasprintf ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":%s}", rows[i][0]);
      cleanup_free char *h = hr_xasprintf ("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":%s}", rows[i][1]);
      cleanup_json struct json *config = parse_json (c), *ref = parse_json (h), *want = parse_json (rows[i][2]);
      cleanup_json struct json *m = NULL;
      struct seccomp_merge_counts counts;
      char reason[512];
      m = merge_ok (config, ref, &counts, reason, sizeof reason);
      assert_true (json_equal (spec_get (m, "architectures"), want));
    }
}

/* What no sound merge can be made of: the caller installs hardrun's. */
static void
test_refused (void **state)
{
  static const char *const rows[][3] = {
    { ENOSYS_DEFAULT, RULE ("write", "NOTIFY", ""), "SCMP_ACT_NOTIFY for write" },
    { ENOSYS_DEFAULT, RULE ("raed", "ALLOW", ""), "unknown syscall \"raed\"" },
    { ENOSYS_DEFAULT, RULE ("read", "PERMIT", ""), "not a known SCMP_ACT_" },
    { ENOSYS_DEFAULT, RULE ("read", "ALLOW", ARGS ("{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_XX\"}")), "operator" },
    { "\"SCMP_ACT_ERRNO\",\"flags\":[\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"]", ALLOW ("read"), "SPEC_ALLOW" },
  };
  cleanup_json struct json *ref = filter_of (ENOSYS_DEFAULT, ALLOW ("read") "," ALLOW ("write"), "");

  (void) state;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    {
      cleanup_json struct json *config = filter_of (rows[i][0], rows[i][1], "");
      struct json *out = NULL;
      struct seccomp_merge_counts counts;
      struct hr_error err = { 0 };
      char reason[512];
      assert_int_equal (seccomp_filter_merge (config, ref, &out, &counts, reason, sizeof reason, &err), -1);
      assert_null (out);
      if (strstr (err.msg, rows[i][2]) == NULL)
        fail_msg ("row %zu: \"%s\" lacks \"%s\"", i, err.msg, rows[i][2]);
    }
}

static void
test_flags_kept (void **state)
{
  cleanup_json struct json *config = filter_of ("\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"]", "", "");
  cleanup_json struct json *ref = filter_of (ENOSYS_DEFAULT, "", "");
  cleanup_json struct json *m = NULL;
  struct seccomp_merge_counts counts;
  char reason[512];

  (void) state;
  m = merge_ok (config, ref, &counts, reason, sizeof reason);
  assert_true (json_array_has_string (spec_get (m, "flags"), "SECCOMP_FILTER_FLAG_LOG"));
}

/* The engines' default profiles allow everything hardrun's does: the merge
 * is hardrun's profile, told without merging, and merging agrees. */
static void
test_engine_profiles_within (void **state)
{
  struct fixture *f = *state;
  static const char *const engines[] = { "docker.json", "podman.json", "cri-sandbox.json" };
  size_t within = 0;

  for (size_t e = 0; e < sizeof engines / sizeof engines[0]; e++)
    {
      cleanup_json struct json *ref = NULL, *merged = NULL;
      struct string_list caps = { 0 };
      struct seccomp_merge_counts counts;
      struct hr_error err = { 0 };
      char reason[512];
      const struct json *config;

      load_fixture (f, engines[e]);
      config = spec_get_path (f->spec.root, "linux", "seccomp", NULL);
      if (config == NULL)
        continue;
      assert_int_equal (seccomp_profile_resolve (f->policy.seccomp_profile, &caps, &f->host, false, true, &ref, &err), 0);
      if (!seccomp_filter_within (config, ref))
        continue;
      within++;
      assert_int_equal (seccomp_filter_merge (config, ref, &merged, &counts, reason, sizeof reason, &err), 0);
      assert_true (within_holds (config, ref, merged, engines[e]));
    }
  /* Docker's profile at least */
  assert_true (within >= 1);
}

/* Stricter anywhere: not within, so the merge decides. */
static void
test_within_refuses_stricter (void **state)
{
  static const char *const configs[] = {
    "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[" RULE ("getpid", "ERRNO", RET (1)) "]}",
    "{\"defaultAction\":\"SCMP_ACT_KILL\",\"syscalls\":[" ALLOW ("getpid") "]}",
    "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[" RULE ("getpid", "LOG", "") "]}",
    "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[" RULE ("mkdir", "NOTIFY", "") "]}",
    "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[]}",
    "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"]}",
    "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[" RULE ("ptrace", "ERRNO", RET (1)) "]}",
  };
  cleanup_json struct json *ref = filter_of (ENOSYS_DEFAULT, ALLOW ("getpid") "," ALLOW ("mkdir"), "");

  (void) state;
  for (size_t i = 0; i < sizeof configs / sizeof configs[0]; i++)
    {
      cleanup_json struct json *config = parse_json (configs[i]);
      if (seccomp_filter_within (config, ref))
        fail_msg ("within: %s", configs[i]);
    }
  {
    cleanup_json struct json *weaker = parse_json ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
                                              RULE ("ptrace", "ERRNO", RET (38)) "]}");
    assert_true (seccomp_filter_within (weaker, ref));
  }
}

/* The control: a weaker filter with an agent is merged, and the decision
 * says so; one that cannot be merged is replaced, saying why; a merged
 * filter is kept as it is. */
static void
test_control_merges (void **state)
{
  struct fixture *f = *state;
  const char *cfg = "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\","
                    "\"listenerPath\":\"/run/agent.sock\",\"syscalls\":["
                    RULE ("mkdir", "NOTIFY", "") "," RULE ("symlink", "ERRNO", RET (26)) "]}}}";
  struct json *sc;
  cleanup_free char *again = NULL;

  load (f, cfg);
  run (f, CONTROL_SECCOMP, control_seccomp);
  sc = spec_get_path (f->spec.root, "linux", "seccomp", NULL);
  assert_int_equal (count (f, DECISION_CHANGE, "seccomp"), 1);
  assert_true (message_has (f, "defaultAction SCMP_ACT_ALLOW lets unlisted syscalls through; "
                               "merged the config's filter with hardrun's profile: the config's "
                               "stricter action kept for 1 syscalls, its notify agent for 1"));
  assert_string_equal (json_string (spec_get (sc, "listenerPath")), "/run/agent.sock");
  assert_string_equal (json_string (spec_get (sc, "defaultAction")), "SCMP_ACT_ERRNO");
  /* a second run keeps it */
  {
    struct hr_error err = { 0 };
    size_t len = 0;
    assert_int_equal (json_write (f->spec.root, 0, &again, &len, &err), 0);
  }
  load (f, again);
  run (f, CONTROL_SECCOMP, control_seccomp);
  assert_int_equal (count (f, DECISION_CHANGE, "seccomp"), 0);

  load (f, "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
           RULE ("raed", "ERRNO", "") "]}}}");
  run (f, CONTROL_SECCOMP, control_seccomp);
  assert_true (message_has (f, "; replaced, no sound merge: the config's filter: syscalls[0]: "
                               "unknown syscall \"raed\""));
  assert_null (spec_get_path (f->spec.root, "linux", "seccomp", "listenerPath", NULL));
  /* runc would connect to the agent's socket and hand it the notify fd */
  load (f, "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\","
           "\"listenerPath\":\"/var/run/docker.sock\",\"syscalls\":[" RULE ("mkdir", "NOTIFY", "") "]}}}");
  run (f, CONTROL_SECCOMP, control_seccomp);
  assert_int_equal (count (f, DECISION_REFUSAL, "seccomp"), 1);
  assert_true (message_has (f, "its notify agent's socket is named as an engine's socket"));
  /* runc refuses NOTIFY for write: so does hardrun, rather than drop the agent */
  load (f, "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\","
           "\"listenerPath\":\"/run/agent.sock\",\"syscalls\":[" RULE ("write", "NOTIFY", "") "]}}}");
  run (f, CONTROL_SECCOMP, control_seccomp);
  assert_int_equal (count (f, DECISION_REFUSAL, "seccomp"), 1);
  assert_true (message_has (f, "SCMP_ACT_NOTIFY for write"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_merge_table),
    cmocka_unit_test (test_listener_kept_with_notify),
    cmocka_unit_test (test_architectures_both_admit),
    cmocka_unit_test (test_refused),
    cmocka_unit_test (test_flags_kept),
    cmocka_unit_test_setup_teardown (test_control_merges, setup, teardown),
    cmocka_unit_test_setup_teardown (test_engine_profiles_within, setup, teardown),
    cmocka_unit_test (test_within_refuses_stricter),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
