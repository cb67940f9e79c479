/* The merge follows the kernel's rule for stacked filters: for every
 * syscall and argument value, the stricter action of the two filters wins,
 * in seccomp(2)'s precedence (KILL_PROCESS, KILL_THREAD, TRAP, ERRNO,
 * USER_NOTIF, TRACE, LOG, ALLOW). A notify rule so survives only where
 * hardrun's profile would let the call through, and any deny beats it.
 *
 * One OCI filter cannot say everything two stacked ones do: runc ORs the
 * rules of a syscall, and libseccomp lets an unconditional rule override
 * the argument rules of the same syscall. So every argument rule written
 * here carries an action that is sound over its whole region, whichever
 * rule libseccomp lets win where two meet; where the exact result is not
 * expressible, the stricter one is written. */
#include "config.h"
#include "controls/seccomp_merge.h"

#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "controls/seccomp_profile.h"
#include "spec/spec.h"

enum act_class
{
  ACT_KILL_PROCESS,
  ACT_KILL_THREAD,
  ACT_TRAP,
  ACT_ERRNO,
  ACT_NOTIFY,
  ACT_TRACE,
  ACT_LOG,
  ACT_ALLOW,
};

static const struct
{
  const char *name;
  enum act_class cls;
} act_names[] = {
  { "SCMP_ACT_KILL_PROCESS", ACT_KILL_PROCESS }, { "SCMP_ACT_KILL", ACT_KILL_THREAD },
  { "SCMP_ACT_KILL_THREAD", ACT_KILL_THREAD },   { "SCMP_ACT_TRAP", ACT_TRAP },
  { "SCMP_ACT_ERRNO", ACT_ERRNO },               { "SCMP_ACT_NOTIFY", ACT_NOTIFY },
  { "SCMP_ACT_TRACE", ACT_TRACE },               { "SCMP_ACT_LOG", ACT_LOG },
  { "SCMP_ACT_ALLOW", ACT_ALLOW },
};

struct act
{
  enum act_class cls;
  const char *name; /* as the filter spelled it (SCMP_ACT_KILL or _THREAD) */
  bool has_ret;
  uint64_t ret;     /* errnoRet of ERRNO and TRACE */
  bool from_config;
  bool named;       /* from a rule naming the syscall, not the default */
};

enum cmp_op
{
  OP_NE,
  OP_LT,
  OP_LE,
  OP_EQ,
  OP_GE,
  OP_GT,
  OP_MASKED_EQ,
};

static const char *const op_names[] = {
  "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
  "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
};

struct cond
{
  unsigned index;
  enum cmp_op op;
  uint64_t value, two; /* MASKED_EQ: arg & value == two */
};

/* Conditions that all hold: at most one per argument, by index. */
struct region
{
  unsigned n;
  struct cond c[6];
};

struct crule
{
  struct region r;
  struct act act;
};

/* A rule as runc installs it: the conditions of a rule that tests one
 * argument twice become one rule each (ORed); nalt 0 is unconditional. */
struct prule
{
  const struct json *names;
  struct act act;
  size_t nalt;
  struct region *alt;
};

struct side
{
  struct act def;
  size_t n;
  struct prule *rules;
};

/* One filter's rules for one syscall. */
struct view
{
  struct act base; /* where none of conds holds */
  size_t n;
  struct crule *conds;
};

struct emitted
{
  size_t n, cap;
  struct crule *r;
};

struct merge_out
{
  struct json *buckets; /* unconditional rules, one per action */
  struct act *bucket_acts;
  size_t n_buckets;
  struct json *conds;
  struct seccomp_merge_counts *counts;
  bool notify_write;
};

static const uint64_t widths[] = { UINT64_MAX, UINT32_MAX };

/* ---- actions ---- */

static uint64_t
act_ret (const struct act *a)
{
  return a->has_ret ? a->ret : 1; /* runc's EPERM */
}

static bool
act_equal (const struct act *a, const struct act *b)
{
  return a->cls == b->cls
         && ((a->cls != ACT_ERRNO && a->cls != ACT_TRACE) || act_ret (a) == act_ret (b));
}

static const struct act *
stricter (const struct act *a, const struct act *b)
{
  if (a->cls != b->cls)
    return a->cls < b->cls ? a : b;
  /* one action: the config's errno where its own rule names the syscall,
     hardrun's otherwise (its ENOSYS default lets programs fall back) */
  if (a->from_config && a->named)
    return a;
  if (b->from_config && b->named)
    return b;
  return a->from_config ? b : a;
}

static bool
act_allows (const struct act *a)
{
  return a->cls >= ACT_NOTIFY;
}

static int
act_parse (const struct json *obj, const char *key, const char *ret_key, bool from_config,
           struct act *out, struct hr_error *err)
{
  const char *s = json_string (spec_get (obj, key));
  const struct json *ret = spec_get (obj, ret_key);

  for (size_t i = 0; s != NULL && i < sizeof act_names / sizeof act_names[0]; i++)
    if (strcmp (act_names[i].name, s) == 0)
      {
        *out = (struct act){ .cls = act_names[i].cls, .name = act_names[i].name,
                             .from_config = from_config };
        if ((out->cls == ACT_ERRNO || out->cls == ACT_TRACE) && ret != NULL
            && !json_is (ret, JSON_NULL))
          {
            if (json_number_to_u64 (ret, &out->ret) < 0)
              return hr_error_set (err, 0, "%s is not a number", ret_key);
            out->has_ret = true;
          }
        return 0;
      }
  return hr_error_set (err, 0, "%s %s is not a known SCMP_ACT_* action", key, s ? s : "(none)");
}

/* ---- argument conditions ---- */

/* A number runc's decoder reads as 0 when absent. */
static int
u64_field (const struct json *obj, const char *key, uint64_t *out)
{
  const struct json *v = spec_get (obj, key);
  *out = 0;
  return v == NULL || json_is (v, JSON_NULL) ? 0 : json_number_to_u64 (v, out);
}

static int
cond_parse (const struct json *a, struct cond *out, struct hr_error *err)
{
  uint64_t index;
  const char *op = json_string (spec_get (a, "op"));

  if (u64_field (a, "index", &index) < 0 || index > 5)
    return hr_error_set (err, 0, "args[].index must be 0 to 5");
  if (u64_field (a, "value", &out->value) < 0 || u64_field (a, "valueTwo", &out->two) < 0)
    return hr_error_set (err, 0, "args[].value and valueTwo must be unsigned 64-bit integers");
  out->index = (unsigned) index;
  for (size_t k = 0; op != NULL && k < sizeof op_names / sizeof op_names[0]; k++)
    if (strcmp (op_names[k], op) == 0)
      {
        out->op = (enum cmp_op) k;
        if (out->op != OP_MASKED_EQ)
          out->two = 0; /* libseccomp reads valueTwo for MASKED_EQ only */
        return 0;
      }
  return hr_error_set (err, 0, "args[].op %s is not a known SCMP_CMP_* operator",
                       op ? op : "(none)");
}

static void
region_put (struct region *r, const struct cond *c)
{
  unsigned k = r->n++;
  for (; k > 0 && r->c[k - 1].index > c->index; k--)
    r->c[k] = r->c[k - 1];
  r->c[k] = *c;
}

static int
rule_regions (const struct json *args, struct prule *out, struct hr_error *err)
{
  size_t n = json_is (args, JSON_ARRAY) ? args->arr.len : 0;
  cleanup_free struct cond *cs = hr_xcalloc (n ? n : 1, sizeof *cs);
  unsigned seen = 0;
  bool repeated = false;

  out->nalt = 0;
  out->alt = NULL;
  if (n == 0)
    return 0;
  for (size_t i = 0; i < n; i++)
    {
      if (cond_parse (args->arr.items[i], &cs[i], err) < 0)
        return -1;
      repeated = repeated || (seen & (1u << cs[i].index));
      seen |= 1u << cs[i].index;
    }
  out->nalt = repeated ? n : 1;
  out->alt = hr_xcalloc (out->nalt, sizeof *out->alt);
  for (size_t i = 0; i < n; i++)
    region_put (&out->alt[repeated ? i : 0], &cs[i]);
  return 0;
}

static bool
cond_eq (const struct cond *a, const struct cond *b)
{
  return a->index == b->index && a->op == b->op && a->value == b->value && a->two == b->two;
}

static const struct cond *
region_find (const struct region *r, unsigned index)
{
  for (unsigned i = 0; i < r->n; i++)
    if (r->c[i].index == index)
      return &r->c[i];
  return NULL;
}

static bool
cond_holds (const struct cond *c, uint64_t x, uint64_t wm)
{
  uint64_t v = c->value & wm;

  x &= wm;
  switch (c->op)
    {
    case OP_NE: return x != v;
    case OP_LT: return x < v;
    case OP_LE: return x <= v;
    case OP_EQ: return x == v;
    case OP_GE: return x >= v;
    case OP_GT: return x > v;
    case OP_MASKED_EQ: return (x & v) == (c->two & wm);
    }
  return true;
}

/* The values [lo, hi] an ordering comparison admits (lo > hi: none). */
static bool
cond_range (const struct cond *c, uint64_t wm, uint64_t *lo, uint64_t *hi)
{
  uint64_t v = c->value & wm;

  *lo = 0;
  *hi = wm;
  switch (c->op)
    {
    case OP_LT: v == 0 ? (*lo = 1, *hi = 0) : (*hi = v - 1); return true;
    case OP_LE: *hi = v; return true;
    case OP_GT: v == wm ? (*lo = 1, *hi = 0) : (*lo = v + 1); return true;
    case OP_GE: *lo = v; return true;
    default: return false;
    }
}

/* a implies b, provably, read at both widths. */
static bool
cond_implies (const struct cond *a, const struct cond *b)
{
  if (cond_eq (a, b))
    return true;
  for (size_t w = 0; w < 2; w++)
    {
      uint64_t alo, ahi, blo, bhi, ne = b->value & widths[w];
      bool ra = cond_range (a, widths[w], &alo, &ahi), ok = false;
      if (a->op == OP_EQ)
        ok = cond_holds (b, a->value, widths[w]);
      else if (a->op == OP_MASKED_EQ && b->op == OP_MASKED_EQ)
        ok = (b->value & ~a->value & widths[w]) == 0
             && (a->two & b->value & widths[w]) == (b->two & widths[w]);
      else if (ra && cond_range (b, widths[w], &blo, &bhi))
        ok = alo > ahi || (blo <= alo && ahi <= bhi);
      else if (ra && b->op == OP_NE)
        ok = alo > ahi || ne < alo || ne > ahi;
      if (!ok)
        return false;
    }
  return true;
}

/* Every value in `inner` is in `outer`, provably. */
static bool
region_covers (const struct region *outer, const struct region *inner)
{
  for (unsigned i = 0; i < outer->n; i++)
    {
      const struct cond *o = region_find (inner, outer->c[i].index);
      if (o == NULL || !cond_implies (o, &outer->c[i]))
        return false;
    }
  return true;
}

/* libseccomp builds a rule's conditions into a chain by argument; a rule
 * whose chain begins with another's whole chain is dropped or refused. */
static bool
region_prefix (const struct region *outer, const struct region *inner)
{
  if (outer->n > inner->n)
    return false;
  for (unsigned i = 0; i < outer->n; i++)
    if (!cond_eq (&outer->c[i], &inner->c[i]))
      return false;
  return true;
}

static bool
cond_negate (const struct cond *c, struct cond *out)
{
  static const enum cmp_op neg[] = { [OP_NE] = OP_EQ, [OP_LT] = OP_GE, [OP_LE] = OP_GT,
                                     [OP_EQ] = OP_NE, [OP_GE] = OP_LT, [OP_GT] = OP_LE };
  if (c->op == OP_MASKED_EQ)
    return false; /* there is no SCMP_CMP_MASKED_NE */
  *out = *c;
  out->op = neg[c->op];
  return true;
}

static bool
masks_meet (const struct cond *a, const struct cond *b, uint64_t wm)
{
  uint64_t m1 = a->value & wm, d1 = a->two & wm, m2 = b->value & wm, d2 = b->two & wm;
  return (d1 & ~m1) == 0 && (d2 & ~m2) == 0 && ((d1 ^ d2) & m1 & m2) == 0;
}

/* Can a value meet both conditions on one argument, read at width wm?
 * false only when it provably cannot. */
static bool
conds_meet (const struct cond *a, const struct cond *b, uint64_t wm)
{
  uint64_t alo, ahi, blo, bhi;
  bool ra, rb;

  if (a->op == OP_EQ || b->op == OP_EQ)
    return a->op == OP_EQ ? cond_holds (b, a->value, wm) : cond_holds (a, b->value, wm);
  if (a->op == OP_MASKED_EQ || b->op == OP_MASKED_EQ)
    return masks_meet (a->op == OP_MASKED_EQ ? a : b, b->op == OP_MASKED_EQ ? b : a, wm);
  ra = cond_range (a, wm, &alo, &ahi);
  rb = cond_range (b, wm, &blo, &bhi);
  if (ra && rb)
    return (alo > blo ? alo : blo) <= (ahi < bhi ? ahi : bhi);
  if (ra || rb) /* a range and a NE */
    {
      uint64_t lo = ra ? alo : blo, hi = ra ? ahi : bhi, ne = (ra ? b : a)->value & wm;
      return lo <= hi && !(lo == hi && lo == ne);
    }
  return true;
}

/* Provably no value lies in both, read as 64 or as 32 bits (compat ABIs). */
static bool
regions_disjoint (const struct region *a, const struct region *b)
{
  for (unsigned i = 0; i < a->n; i++)
    {
      const struct cond *o = region_find (b, a->c[i].index);
      if (o && !conds_meet (&a->c[i], o, widths[0]) && !conds_meet (&a->c[i], o, widths[1]))
        return true;
    }
  return false;
}

enum conj
{
  CONJ_EMPTY,
  CONJ_OK,
  CONJ_INEXPRESSIBLE,
};

/* The one condition that means both, at either width, if there is one. */
static enum conj
cond_conj (const struct cond *a, const struct cond *b, struct cond *out)
{
  if (cond_implies (a, b) || cond_implies (b, a))
    return (*out = cond_implies (a, b) ? *a : *b, CONJ_OK);
  if (!conds_meet (a, b, widths[0]) && !conds_meet (a, b, widths[1]))
    return CONJ_EMPTY;
  if (a->op == OP_MASKED_EQ && b->op == OP_MASKED_EQ && masks_meet (a, b, widths[0]))
    {
      *out = *a;
      out->value = a->value | b->value;
      out->two = a->two | b->two;
      return CONJ_OK;
    }
  return CONJ_INEXPRESSIBLE;
}

/* a AND b as one rule: runc would OR two conditions on one argument. */
static enum conj
region_conj (const struct region *a, const struct region *b, struct region *out)
{
  out->n = 0;
  for (unsigned idx = 0; idx < 6; idx++)
    {
      const struct cond *x = region_find (a, idx), *y = region_find (b, idx);
      struct cond c;
      enum conj r = CONJ_OK;
      if (x && y)
        r = cond_conj (x, y, &c);
      else if (x || y)
        c = x ? *x : *y;
      else
        continue;
      if (r != CONJ_OK)
        return r;
      out->c[out->n++] = c;
    }
  return CONJ_OK;
}

/* ---- the two filters, per syscall ---- */

/* Syscall names to small numbers, open addressing: grouping the ~700
 * (name, rule) entries of two profiles costs a hash each instead of a
 * sort's strcmp calls. */
struct name_table
{
  const char **names; /* by slot, NULL when free */
  size_t *ids;
  size_t cap, n;
};

static uint64_t
name_hash (const char *s)
{
  uint64_t h = 1469598103934665603ull;

  for (; *s; s++)
    h = (h ^ (unsigned char) *s) * 1099511628211ull;
  return h;
}

static void
name_table_init (struct name_table *t, size_t expected)
{
  t->cap = 16;
  while (t->cap < 2 * expected + 1)
    t->cap *= 2;
  t->names = hr_xcalloc (t->cap, sizeof *t->names);
  t->ids = hr_xcalloc (t->cap, sizeof *t->ids);
  t->n = 0;
}

/* The name's number, a new one when add and it is not there yet, or
 * (size_t) -1. */
static size_t
name_table_id (struct name_table *t, const char *name, bool add)
{
  size_t i = (size_t) name_hash (name) & (t->cap - 1);

  for (; t->names[i] != NULL; i = (i + 1) & (t->cap - 1))
    if (strcmp (t->names[i], name) == 0)
      return t->ids[i];
  if (!add)
    return (size_t) -1;
  t->names[i] = name;
  t->ids[i] = t->n;
  return t->n++;
}

static void
name_table_release (struct name_table *t)
{
  free (t->names);
  free (t->ids);
  memset (t, 0, sizeof *t);
}

static size_t
names_in (const struct json *filter)
{
  const struct json *rules = spec_get (filter, "syscalls");
  size_t n = 0;

  for (size_t r = 0; json_is (rules, JSON_ARRAY) && r < rules->arr.len; r++)
    {
      const struct json *names = spec_get (rules->arr.items[r], "names");
      n += json_is (names, JSON_ARRAY) ? names->arr.len : 0;
    }
  return n;
}

static void
side_release (struct side *s)
{
  for (size_t i = 0; i < s->n; i++)
    free (s->rules[i].alt);
  free (s->rules);
  s->rules = NULL;
  s->n = 0;
}

/* known: the reference's names, resolved when it was (NULL for the
 * reference itself). */
static int
rule_parse (const struct json *rule, struct name_table *known, struct prule *p, struct hr_error *err)
{
  bool from_config = known != NULL;
  const struct json *names = spec_get (rule, "names");

  p->names = names;
  for (size_t n = 0; json_is (names, JSON_ARRAY) && n < names->arr.len; n++)
    {
      const char *name = json_string (names->arr.items[n]);
      /* runc silently drops a name its libseccomp cannot resolve (the
         profile's names were resolved when it was) */
      if (name == NULL
          || (from_config && name_table_id (known, name, false) == (size_t) -1
              && seccomp_syscall_resolve_name (name) == __NR_SCMP_ERROR))
        return hr_error_set (err, 0, "unknown syscall \"%s\"", name ? name : "(invalid)");
    }
  if (act_parse (rule, "action", "errnoRet", from_config, &p->act, err) < 0)
    return -1;
  p->act.named = true;
  return rule_regions (spec_get (rule, "args"), p, err);
}

static int
side_parse (const struct json *filter, struct name_table *known, struct side *s, struct hr_error *err)
{
  bool from_config = known != NULL;
  const struct json *rules = spec_get (filter, "syscalls");
  size_t n = json_is (rules, JSON_ARRAY) ? rules->arr.len : 0;

  s->n = 0;
  s->rules = hr_xcalloc (n ? n : 1, sizeof *s->rules);
  if (act_parse (filter, "defaultAction", "defaultErrnoRet", from_config, &s->def, err) < 0)
    return -1;
  for (size_t r = 0; r < n; r++)
    {
      if (rule_parse (rules->arr.items[r], known, &s->rules[r], err) < 0)
        return hr_error_wrap (err, "syscalls[%zu]", r);
      s->n = r + 1;
    }
  return 0;
}

struct entry
{
  const char *name;
  size_t id; /* the name's number in the table */
  int side;
  size_t rule;
};

/* Every (syscall name, filter, rule), grouped by name (the names in first
 * seen order, each group in filter and rule order). */
static struct entry *
collect_entries (const struct side s[2], struct name_table *t, size_t *count)
{
  size_t n = 0, cap = 16;
  struct entry *e = hr_xmalloc (cap * sizeof *e);
  struct entry *sorted;
  cleanup_free size_t *start = NULL;

  for (int k = 0; k < 2; k++)
    for (size_t r = 0; r < s[k].n; r++)
      for (size_t i = 0; json_is (s[k].rules[r].names, JSON_ARRAY)
                         && i < s[k].rules[r].names->arr.len;
           i++)
        {
          const char *name = json_string (s[k].rules[r].names->arr.items[i]);
          if (n == cap)
            e = hr_xrealloc (e, (cap *= 2) * sizeof *e);
          e[n++] = (struct entry){ name, name_table_id (t, name, true), k, r };
        }
  /* a counting sort on the name's number keeps each group's order */
  start = hr_xcalloc (t->n + 1, sizeof *start);
  for (size_t i = 0; i < n; i++)
    start[e[i].id + 1]++;
  for (size_t g = 0; g < t->n; g++)
    start[g + 1] += start[g];
  sorted = hr_xmalloc ((n ? n : 1) * sizeof *sorted);
  for (size_t i = 0; i < n; i++)
    sorted[start[e[i].id]++] = e[i];
  free (e);
  *count = n;
  return sorted;
}

static void
view_build (const struct side *s, const struct entry *e, size_t n, int which, struct view *v)
{
  bool has_rule = false;
  size_t cap = 0;

  v->base = s->def;
  v->n = 0;
  v->conds = NULL;
  for (size_t i = 0; i < n; i++)
    {
      const struct prule *p = &s->rules[e[i].rule];
      if (e[i].side != which || (i > 0 && e[i - 1].side == which && e[i - 1].rule == e[i].rule))
        continue;
      if (p->nalt == 0)
        {
          v->base = has_rule ? *stricter (&v->base, &p->act) : p->act;
          has_rule = true;
        }
      for (size_t a = 0; a < p->nalt; a++)
        {
          if (v->n == cap)
            v->conds = hr_xrealloc (v->conds, (cap = cap ? 2 * cap : 4) * sizeof *v->conds);
          v->conds[v->n++] = (struct crule){ p->alt[a], p->act };
        }
    }
  /* libseccomp lets an unconditional rule override the argument rules of
     its syscall: reading both as the stricter is never weaker */
  for (size_t i = 0; has_rule && i < v->n; i++)
    v->conds[i].act = *stricter (&v->conds[i].act, &v->base);
}

/* The strictest action either filter may take somewhere in r: that of each
 * argument rule that may meet r, and its base unless one rule holds r. */
static struct act
region_action (const struct view v[2], const struct region *r)
{
  const struct act *best = NULL;

  for (int s = 0; s < 2; s++)
    {
      bool held = false;
      for (size_t i = 0; i < v[s].n; i++)
        {
          if (regions_disjoint (&v[s].conds[i].r, r))
            continue;
          best = best ? stricter (best, &v[s].conds[i].act) : &v[s].conds[i].act;
          held = held || region_covers (&v[s].conds[i].r, r);
        }
      if (!held)
        best = best ? stricter (best, &v[s].base) : &v[s].base;
    }
  return *best;
}

static void
emitted_add (struct emitted *e, const struct region *r, const struct act *a)
{
  if (e->n == e->cap)
    e->r = hr_xrealloc (e->r, (e->cap = e->cap ? 2 * e->cap : 8) * sizeof *e->r);
  e->r[e->n++] = (struct crule){ *r, *a };
}

/* A rule for r, unless the default f does the same there. */
static void
add_region (struct emitted *em, const struct view v[2], const struct act *f,
            const struct region *r)
{
  struct act a = region_action (v, r);
  if (!act_equal (&a, f))
    emitted_add (em, r, &a);
}

struct regions
{
  size_t n, cap;
  struct region *r;
};

static void
regions_add (struct regions *l, const struct region *r)
{
  if (l->n == l->cap)
    l->r = hr_xrealloc (l->r, (l->cap = l->cap ? 2 * l->cap : 8) * sizeof *l->r);
  l->r[l->n++] = *r;
}

/* t AND NOT e as disjoint rules: NOT (e1 AND e2 ...) is NOT e1, or e1 AND
 * NOT e2, ... false where that cannot be written. */
static bool
region_minus (const struct region *t, const struct region *e, struct regions *out)
{
  struct region prefix = *t, one = { .n = 1 }, r;

  if (regions_disjoint (t, e))
    return (regions_add (out, t), true);
  for (unsigned i = 0; i < e->n; i++)
    {
      const struct cond *have = region_find (&prefix, e->c[i].index);
      if (!(have && cond_implies (have, &e->c[i])))
        {
          if (!cond_negate (&e->c[i], &one.c[0]))
            return false;
          switch (region_conj (&prefix, &one, &r))
            {
            case CONJ_EMPTY: break;
            case CONJ_OK: regions_add (out, &r); break;
            case CONJ_INEXPRESSIBLE: return false;
            }
        }
      one.c[0] = e->c[i];
      switch (region_conj (&prefix, &one, &r))
        {
        case CONJ_EMPTY: return true;
        case CONJ_OK: prefix = r; break;
        case CONJ_INEXPRESSIBLE: return false;
        }
    }
  return true;
}

#define MAX_TERMS 32

/* The values of base outside every region in excl, as rules added to em. */
static bool
add_outside (struct emitted *em, const struct view v[2], const struct act *f,
             const struct region *base, const struct region *const *excl, size_t n)
{
  struct regions cur = { 0 }, next = { 0 }, tmp;
  bool ok = true;

  regions_add (&cur, base);
  for (size_t e = 0; ok && e < n; e++)
    {
      next.n = 0;
      for (size_t t = 0; ok && t < cur.n; t++)
        ok = region_minus (&cur.r[t], excl[e], &next);
      ok = ok && next.n <= MAX_TERMS;
      tmp = cur, cur = next, next = tmp;
    }
  for (size_t t = 0; ok && t < cur.n; t++)
    add_region (em, v, f, &cur.r[t]);
  free (cur.r);
  free (next.r);
  return ok;
}

/* The values of rule i of filter s where the other filter has no rule;
 * false where they cannot be written apart. */
static bool
rule_outside (struct emitted *em, const struct view v[2], int s, size_t i, const struct act *f)
{
  const struct region *r = &v[s].conds[i].r;
  cleanup_free const struct region **excl = NULL;
  const struct act *out = stricter (&v[s].conds[i].act, &v[!s].base);
  size_t n = 0;

  /* there the other filter's base meets this rule: the merged default
     already says that, so nothing need be written apart (a complement
     seccomp cannot express, such as of MASKED_EQ, is then no obstacle) */
  if (act_equal (out, f))
    return true;
  excl = hr_xcalloc (v[!s].n + 1, sizeof *excl);
  for (size_t j = 0; j < v[!s].n; j++)
    {
      if (region_covers (&v[!s].conds[j].r, r))
        return true;
      if (!regions_disjoint (&v[!s].conds[j].r, r))
        excl[n++] = &v[!s].conds[j].r;
    }
  if (add_outside (em, v, f, r, excl, n))
    return true;
  /* not expressible apart: where that action is the default's class (an
     errno apart), the default may say it, the class kept */
  return out->cls == f->cls;
}

/* The values no rule of either filter holds: both bases meet there. */
static bool
all_outside (struct emitted *em, const struct view v[2], const struct act *f)
{
  cleanup_free const struct region **excl = hr_xcalloc (v[0].n + v[1].n + 1, sizeof *excl);
  struct region all = { 0 };
  size_t n = 0;

  for (int s = 0; s < 2; s++)
    for (size_t i = 0; i < v[s].n; i++)
      excl[n++] = &v[s].conds[i].r;
  return add_outside (em, v, f, &all, excl, n);
}

/* Rules for each pair's intersection, for each rule's values outside the
 * other filter's rules, and the whole region of a rule where either
 * cannot be written (its action is sound over all of it). */
static void
pair_rules (struct emitted *em, const struct view v[2], const struct act *f, size_t *widened)
{
  size_t total = v[0].n + v[1].n;
  cleanup_free bool *whole = hr_xcalloc (total + 1, sizeof *whole);

  for (size_t i = 0; i < v[0].n; i++)
    for (size_t j = 0; j < v[1].n; j++)
      {
        struct region r;
        enum conj c = region_conj (&v[0].conds[i].r, &v[1].conds[j].r, &r);
        if (c == CONJ_OK)
          add_region (em, v, f, &r);
        else if (c == CONJ_INEXPRESSIBLE)
          {
            /* the weaker of the two whole regions still covers the pair */
            struct act ai = region_action (v, &v[0].conds[i].r);
            struct act aj = region_action (v, &v[1].conds[j].r);
            whole[ai.cls >= aj.cls ? i : v[0].n + j] = true;
            (*widened)++;
          }
      }
  for (size_t k = 0; k < total; k++)
    if (!whole[k])
      whole[k] = !rule_outside (em, v, k < v[0].n ? 0 : 1, k < v[0].n ? k : k - v[0].n, f);
  for (size_t k = 0; k < total; k++)
    if (whole[k])
      add_region (em, v, f, k < v[0].n ? &v[0].conds[k].r : &v[1].conds[k - v[0].n].r);
}

/* A rule whose chain another's begins is dropped: that other's action is
 * sound over its whole region, which holds this one. */
static void
emitted_prune (struct emitted *em)
{
  size_t k = 0;

  for (size_t i = 0; i < em->n; i++)
    {
      bool inside = false;
      for (size_t j = 0; j < em->n && !inside; j++)
        inside = j != i && region_prefix (&em->r[j].r, &em->r[i].r)
                 && (!region_prefix (&em->r[i].r, &em->r[j].r) || j < i);
      if (!inside)
        em->r[k++] = em->r[i];
    }
  em->n = k;
}

/* ---- output ---- */

static struct json *
rule_json (const char *name, const struct act *a)
{
  struct json *o = json_new_object ();
  struct json *names = json_new_array ();

  json_array_append (names, json_new_string (name));
  json_object_append (o, "names", names);
  json_object_append (o, "action", json_new_string (a->name));
  if (a->has_ret)
    json_object_append (o, "errnoRet", json_new_uint (a->ret));
  return o;
}

static struct json *
region_json (const struct region *r)
{
  struct json *args = json_new_array ();

  for (unsigned i = 0; i < r->n; i++)
    {
      struct json *c = json_new_object ();
      json_object_append (c, "index", json_new_uint (r->c[i].index));
      json_object_append (c, "value", json_new_uint (r->c[i].value));
      if (r->c[i].op == OP_MASKED_EQ)
        json_object_append (c, "valueTwo", json_new_uint (r->c[i].two));
      json_object_append (c, "op", json_new_string (op_names[r->c[i].op]));
      json_array_append (args, c);
    }
  return args;
}

static void
emit_uncond (struct merge_out *mo, const char *name, const struct act *a)
{
  for (size_t b = 0; b < mo->n_buckets; b++)
    if (act_equal (&mo->bucket_acts[b], a) && strcmp (mo->bucket_acts[b].name, a->name) == 0)
      {
        json_array_append (json_object_get (mo->buckets->arr.items[b], "names"),
                           json_new_string (name));
        return;
      }
  mo->bucket_acts = hr_xrealloc (mo->bucket_acts, (mo->n_buckets + 1) * sizeof *mo->bucket_acts);
  mo->bucket_acts[mo->n_buckets++] = *a;
  json_array_append (mo->buckets, rule_json (name, a));
}

static void
account (struct merge_out *mo, const char *name, const struct view v[2], const struct act *fall,
         const struct act *acts, size_t n)
{
  bool kept = false, notify = false;

  for (size_t i = 0; i < n; i++)
    {
      kept = kept || (acts[i].from_config && !act_allows (&acts[i]));
      notify = notify || acts[i].cls == ACT_NOTIFY;
    }
  mo->counts->config_kept += kept;
  mo->counts->notify += notify;
  mo->notify_write = mo->notify_write || (notify && strcmp (name, "write") == 0);
  if (v[0].base.named && act_allows (&v[0].base) && !act_allows (fall) && !fall->from_config)
    mo->counts->hardrun_denied++;
}

/* One action for every argument value of the syscall. */
static void
write_uniform (struct merge_out *mo, const char *name, const struct view v[2],
               const struct act *f, const struct act *u)
{
  if (!act_equal (u, f))
    emit_uncond (mo, name, u);
  account (mo, name, v, act_equal (u, f) ? f : u, u, 1);
}

static void
write_conds (struct merge_out *mo, const char *name, const struct view v[2], const struct act *f,
             struct emitted *em)
{
  cleanup_free struct act *acts = hr_xcalloc (em->n + 1, sizeof *acts);

  emitted_prune (em);
  for (size_t k = 0; k < em->n; k++)
    {
      struct json *rule = rule_json (name, &em->r[k].act);
      json_object_append (rule, "args", region_json (&em->r[k].r));
      json_array_append (mo->conds, rule);
      acts[k] = em->r[k].act;
    }
  account (mo, name, v, f, acts, em->n);
}

/* One syscall: f is the merged default action. */
static void
merge_syscall (const char *name, const struct view v[2], const struct act *f,
               struct merge_out *mo)
{
  const struct act *m0 = stricter (&v[0].base, &v[1].base);
  struct act u = *m0;
  struct emitted em = { 0 };

  for (int s = 0; s < 2; s++)
    for (size_t i = 0; i < v[s].n; i++)
      u = *stricter (&u, &v[s].conds[i].act);
  /* a filter with no argument rules here whose action is the strictest */
  if ((v[0].n == 0 && act_equal (&u, &v[0].base)) || (v[1].n == 0 && act_equal (&u, &v[1].base)))
    {
      write_uniform (mo, name, v, f, &u);
      return;
    }
  pair_rules (&em, v, f, &mo->counts->widened);
  if (!act_equal (m0, f) && !all_outside (&em, v, f))
    {
      mo->counts->widened += m0->cls != f->cls;
      if (m0->cls < f->cls)
        {
          /* only an unconditional rule could say m0, and libseccomp lets it
             override the argument rules: the strictest of all */
          free (em.r);
          write_uniform (mo, name, v, f, &u);
          return;
        }
      /* else the values no rule holds fall to f: as strict as m0 or more */
    }
  write_conds (mo, name, v, f, &em);
  free (em.r);
}

static void
merge_rules (const struct side s[2], struct name_table *t, const struct act *f, struct merge_out *mo)
{
  size_t n = 0;
  cleanup_free struct entry *e = collect_entries (s, t, &n);

  for (size_t i = 0, j; i < n; i = j)
    {
      struct view v[2];
      for (j = i; j < n && e[j].id == e[i].id; j++)
        ;
      view_build (&s[0], e + i, j - i, 0, &v[0]);
      view_build (&s[1], e + i, j - i, 1, &v[1]);
      merge_syscall (e[i].name, v, f, mo);
      free (v[0].conds);
      free (v[1].conds);
    }
}

/* Those both admit: runc adds the native architecture to any list, and the
 * reference lists it first. */
static struct json *
merge_arches (const struct json *filter, const struct json *reference)
{
  const struct json *mine = spec_get (filter, "architectures");
  const struct json *ref = spec_get (reference, "architectures");
  struct json *out = json_new_array ();

  for (size_t i = 0; json_is (ref, JSON_ARRAY) && i < ref->arr.len; i++)
    {
      const char *a = json_string (ref->arr.items[i]);
      if (a != NULL && (i == 0 || json_array_has_string (mine, a)))
        json_array_append (out, json_new_string (a));
    }
  return out;
}

static int
merge_flags (const struct json *filter, struct json **out, struct hr_error *err)
{
  const struct json *flags = spec_get (filter, "flags");

  *out = NULL;
  if (flags == NULL || json_is (flags, JSON_NULL))
    return 0;
  if (!json_is (flags, JSON_ARRAY))
    return hr_error_set (err, 0, "flags must be an array");
  for (size_t i = 0; i < flags->arr.len; i++)
    {
      const char *s = json_string (flags->arr.items[i]);
      if (s == NULL
          || (strcmp (s, "SECCOMP_FILTER_FLAG_LOG") != 0
              && strcmp (s, "SECCOMP_FILTER_FLAG_TSYNC") != 0))
        return hr_error_set (err, 0, "the filter sets flag %s", s ? s : "(invalid)");
    }
  *out = flags->arr.len ? json_clone (flags) : NULL;
  return 0;
}

static void
describe (const struct seccomp_merge_counts *c, char *reason, size_t len)
{
  int k = snprintf (reason, len,
                    "merged the config's filter with hardrun's profile: the config's stricter "
                    "action kept for %zu syscalls, its notify agent for %zu, hardrun's denial "
                    "for %zu the config allowed",
                    c->config_kept, c->notify, c->hardrun_denied);
  if (c->widened && k > 0 && (size_t) k < len)
    snprintf (reason + k, len - (size_t) k,
              ", %zu argument rules made stricter where the exact intersection cannot be written",
              c->widened);
}

/* Both filters parsed: the merged object. */
static int
merge_parsed (const struct json *filter, const struct json *reference, const struct side s[2],
              struct name_table *t, struct json **out, struct seccomp_merge_counts *counts,
              struct hr_error *err)
{
  const struct act *f = stricter (&s[0].def, &s[1].def);
  struct merge_out mo = { json_new_array (), NULL, 0, json_new_array (), counts, false };
  struct json *merged, *flags;

  if (merge_flags (filter, &flags, err) < 0)
    {
      json_free (mo.buckets);
      json_free (mo.conds);
      return -1;
    }
  merge_rules (s, t, f, &mo);
  free (mo.bucket_acts);
  /* the argument rules after the unconditional ones, moved */
  for (size_t i = 0; i < mo.conds->arr.len; i++)
    json_array_append (mo.buckets, mo.conds->arr.items[i]);
  mo.conds->arr.len = 0;
  json_free (mo.conds);
  if (mo.notify_write || f->cls == ACT_NOTIFY)
    {
      json_free (mo.buckets);
      json_free (flags);
      return hr_error_set (err, 0, "runc refuses SCMP_ACT_NOTIFY for write and as the default");
    }
  merged = json_new_object ();
  json_object_append (merged, "defaultAction", json_new_string (f->name));
  if (f->has_ret)
    json_object_append (merged, "defaultErrnoRet", json_new_uint (f->ret));
  json_object_append (merged, "architectures", merge_arches (filter, reference));
  if (flags)
    json_object_append (merged, "flags", flags);
  for (const char *const *k = (const char *const[]){ "listenerPath", "listenerMetadata", NULL };
       counts->notify > 0 && *k; k++)
    if (spec_get (filter, *k) != NULL)
      json_object_append (merged, *k, json_clone (spec_get (filter, *k)));
  json_object_append (merged, "syscalls", mo.buckets);
  *out = merged;
  return 0;
}

/* ---- the everyday case: a filter nowhere stricter than the profile ---- */

/* What the check reads of a filter's rules, once each. */
struct rule_facts
{
  int cls;                 /* -1: an action the fast path leaves to the merge */
  struct act act;
  const struct json *names;
  const struct json *args; /* NULL when unconditional */
};

static struct rule_facts *
rule_facts_of (const struct json *rules, size_t *n)
{
  struct rule_facts *f;

  *n = json_is (rules, JSON_ARRAY) ? rules->arr.len : 0;
  f = hr_xcalloc (*n ? *n : 1, sizeof *f);
  for (size_t r = 0; r < *n; r++)
    {
      const struct json *rule = rules->arr.items[r], *args = spec_get (rule, "args");
      struct hr_error ignored = { 0 };
      f[r].cls = act_parse (rule, "action", "errnoRet", false, &f[r].act, &ignored) < 0 ? -1 : (int) f[r].act.cls;
      f[r].names = spec_get (rule, "names");
      f[r].args = json_is (args, JSON_ARRAY) && args->arr.len > 0 ? args : NULL;
      if (!json_is (f[r].names, JSON_ARRAY))
        f[r].cls = -1;
    }
  return f;
}

/* Does a config ALLOW rule with these very arguments name `name`? */
static bool
config_allows_same (const struct rule_facts *cfg, size_t n, const char *name, const struct json *args)
{
  for (size_t r = 0; r < n; r++)
    if (cfg[r].cls == ACT_ALLOW && cfg[r].args != NULL && json_array_has_string (cfg[r].names, name)
        && seccomp_args_same (cfg[r].args, args))
      return true;
  return false;
}

/* The config's rules: only ALLOW, and ERRNO (with the profile's default
 * errno, or under a stricter default) on names the profile does not list;
 * allowed[id] marks the profile's names it allows unconditionally. */
static bool
config_rules_within (const struct rule_facts *cfg, size_t n, struct name_table *t, const struct act *ref_def,
                     bool *allowed)
{
  for (size_t r = 0; r < n; r++)
    {
      bool errno_ok = cfg[r].cls == ACT_ERRNO
                      && (ref_def->cls < ACT_ERRNO || act_ret (&cfg[r].act) == act_ret (ref_def));
      if (cfg[r].cls != ACT_ALLOW && !errno_ok)
        return false;
      for (size_t i = 0; i < cfg[r].names->arr.len; i++)
        {
          const char *name = json_string (cfg[r].names->arr.items[i]);
          size_t id = name ? name_table_id (t, name, false) : (size_t) -1;
          if (id == (size_t) -1)
            continue; /* the profile denies it: the merge does too */
          if (cfg[r].cls != ACT_ALLOW)
            return false;
          allowed[id] = allowed[id] || cfg[r].args == NULL;
        }
    }
  return true;
}

/* Every profile name the config allows wherever the profile does; ids are
 * the profile's names in rule order. */
static bool
profile_names_covered (const struct rule_facts *ref, size_t nref, const size_t *ids, size_t nids,
                       const struct rule_facts *cfg, size_t ncfg, const bool *allowed)
{
  cleanup_free bool *uncond = hr_xcalloc (nids + 1, sizeof *uncond);
  size_t k = 0;

  for (size_t r = 0; r < nref; r++)
    for (size_t i = 0; i < ref[r].names->arr.len; i++, k++)
      uncond[ids[k]] = uncond[ids[k]] || ref[r].args == NULL;
  k = 0;
  for (size_t r = 0; r < nref; r++)
    for (size_t i = 0; i < ref[r].names->arr.len; i++, k++)
      /* an unconditional rule overrides the argument rules of its syscall */
      if (!allowed[ids[k]]
          && (uncond[ids[k]] || !config_allows_same (cfg, ncfg, json_string (ref[r].names->arr.items[i]), ref[r].args)))
        return false;
  return true;
}

/* Architectures, flags and defaults that leave the profile's as they are. */
static bool
frame_within (const struct json *filter, const struct json *reference, struct act *ref_def, struct act *cfg_def)
{
  const struct json *arches = spec_get (reference, "architectures");
  const struct json *flags = spec_get (filter, "flags");
  struct hr_error ignored = { 0 };

  if (act_parse (reference, "defaultAction", "defaultErrnoRet", false, ref_def, &ignored) < 0
      || act_parse (filter, "defaultAction", "defaultErrnoRet", false, cfg_def, &ignored) < 0
      || (cfg_def->cls != ACT_ALLOW && cfg_def->cls != ACT_ERRNO) || ref_def->cls > cfg_def->cls)
    return false;
  if (json_is (flags, JSON_ARRAY) && flags->arr.len > 0)
    return false;
  /* the native architecture (listed first) is kept whatever the config says */
  for (size_t i = 1; json_is (arches, JSON_ARRAY) && i < arches->arr.len; i++)
    if (!json_array_has_string (spec_get (filter, "architectures"), json_string (arches->arr.items[i])))
      return false;
  return true;
}

bool
seccomp_filter_within (const struct json *filter, const struct json *reference)
{
  struct act ref_def, cfg_def;
  size_t nref = 0, ncfg = 0, nids = 0;
  cleanup_free struct rule_facts *ref = NULL;
  cleanup_free struct rule_facts *cfg = NULL;
  cleanup_free size_t *ids = NULL;
  cleanup_free bool *allowed = NULL;
  struct name_table t;
  bool within = true;

  if (!frame_within (filter, reference, &ref_def, &cfg_def))
    return false;
  ref = rule_facts_of (spec_get (reference, "syscalls"), &nref);
  cfg = rule_facts_of (spec_get (filter, "syscalls"), &ncfg);
  name_table_init (&t, names_in (reference));
  ids = hr_xcalloc (names_in (reference) + 1, sizeof *ids);
  for (size_t r = 0; within && r < nref; r++)
    for (size_t i = 0; within && ref[r].cls == ACT_ALLOW && i < ref[r].names->arr.len; i++)
      {
        const char *name = json_string (ref[r].names->arr.items[i]);
        within = name != NULL;
        if (within)
          ids[nids++] = name_table_id (&t, name, true);
      }
  for (size_t r = 0; r < nref; r++)
    within = within && ref[r].cls == ACT_ALLOW;
  for (size_t r = 0; r < ncfg; r++)
    within = within && cfg[r].cls >= 0;
  allowed = hr_xcalloc (t.n + 1, sizeof *allowed);
  within = within && config_rules_within (cfg, ncfg, &t, &ref_def, allowed)
           && (cfg_def.cls == ACT_ALLOW || profile_names_covered (ref, nref, ids, nids, cfg, ncfg, allowed));
  name_table_release (&t);
  return within;
}

int
seccomp_filter_merge (const struct json *filter, const struct json *reference, struct json **out,
               struct seccomp_merge_counts *counts, char *reason, size_t reason_len,
               struct hr_error *err)
{
  struct side s[2] = { 0 };
  struct name_table names;
  const struct json *rules = spec_get (reference, "syscalls");
  int r = -1;

  *out = NULL;
  memset (counts, 0, sizeof *counts);
  /* the reference's names first: the config's that it lists need no
     resolving again */
  name_table_init (&names, names_in (filter) + names_in (reference));
  for (size_t k = 0; json_is (rules, JSON_ARRAY) && k < rules->arr.len; k++)
    {
      const struct json *list = spec_get (rules->arr.items[k], "names");
      for (size_t i = 0; json_is (list, JSON_ARRAY) && i < list->arr.len; i++)
        if (json_string (list->arr.items[i]) != NULL)
          name_table_id (&names, json_string (list->arr.items[i]), true);
    }
  if (side_parse (filter, &names, &s[0], err) < 0)
    hr_error_wrap (err, "the config's filter");
  else if (side_parse (reference, NULL, &s[1], err) < 0)
    hr_error_wrap (err, "hardrun's profile");
  else
    r = merge_parsed (filter, reference, s, &names, out, counts, err);
  name_table_release (&names);
  side_release (&s[0]);
  side_release (&s[1]);
  if (r == 0)
    describe (counts, reason, reason_len);
  return r;
}
