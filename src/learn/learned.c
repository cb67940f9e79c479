#include "config.h"
#include "learn/learned.h"

#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"

#define LEARNED_FORMAT 1
/* Far above any workload, and within what the reader takes (a file of at
 * most SPEC_MAX_BYTES): what would go beyond is not noted, so a workload
 * cannot make its own record unreadable. */
#define LEARNED_MAX_ITEMS 2048
#define LEARNED_MAX_ITEM_LEN 1024

static const char *const section_keys[] = {
  [LEARNED_SYSCALLS] = "syscalls",
  [LEARNED_WRITTEN] = "written",
  [LEARNED_EXECS] = "execs",
};

struct json *
learned_new (const char *name, const struct json *key)
{
  struct json *doc = json_new_object ();

  json_object_append (doc, "hardrun_learned", json_new_uint (LEARNED_FORMAT));
  json_object_append (doc, "name", json_new_string (name));
  json_object_append (doc, "key", key ? json_clone (key) : json_new_object ());
  json_object_append (doc, "state", json_new_string ("recording"));
  json_object_append (doc, "runs", json_new_uint (0));
  json_object_append (doc, "quiet_runs", json_new_uint (0));
  for (size_t s = 0; s < LEARNED_SECTION_COUNT; s++)
    json_object_append (doc, section_keys[s], json_new_object ());
  return doc;
}

const struct json *
learned_unwrap (const struct json *v)
{
  const struct json *inner = json_object_get (v, "hardrun");
  return json_is (inner, JSON_OBJECT) ? inner : v;
}

/* A name the store may use as a file name: no slash, no leading dot. */
static bool
name_is_safe (const char *name)
{
  size_t n = name ? strlen (name) : 0;

  if (n == 0 || n > 200 || name[0] == '.')
    return false;
  for (size_t i = 0; i < n; i++)
    if (!(name[i] == '-' || name[i] == '_' || name[i] == '.' || (name[i] >= '0' && name[i] <= '9')
          || (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z')))
      return false;
  return true;
}

/* RFC 3339 in UTC as hardrun writes it: orders as text, shows as text. */
static bool
is_timestamp (const char *s)
{
  size_t n = s ? strlen (s) : 0;
  return n >= 20 && n <= 40 && strspn (s, "0123456789-:.TZ") == n;
}

static int
check_sighting (const struct json_member *m, const char *section, struct hr_error *err)
{
  uint64_t count;
  const char *first = json_string (json_object_get (m->value, "first"));
  const char *last = json_string (json_object_get (m->value, "last"));

  if (m->key_len == 0 || m->key_len > LEARNED_MAX_ITEM_LEN || memchr (m->key, '\0', m->key_len))
    return hr_error_set (err, 0, "%s: an empty, overlong or NUL-holding name", section);
  if (!json_is (m->value, JSON_OBJECT) || json_number_to_u64 (json_object_get (m->value, "count"), &count) < 0
      || !is_timestamp (first) || !is_timestamp (last))
    return hr_error_set (err, 0, "%s: an item needs \"count\", and \"first\" and \"last\" in RFC 3339", section);
  return 0;
}

int
learned_check (const struct json *doc, struct hr_error *err)
{
  uint64_t format = 0, n;
  const char *state = json_string (json_object_get (doc, "state"));

  if (!json_is (doc, JSON_OBJECT) || json_number_to_u64 (json_object_get (doc, "hardrun_learned"), &format) < 0
      || format != LEARNED_FORMAT)
    return hr_error_set (err, 0, "not a learned profile (\"hardrun_learned\": %d)", LEARNED_FORMAT);
  if (!name_is_safe (learned_name (doc)))
    return hr_error_set (err, 0, "\"name\" must be letters, digits, '-', '_' or '.'");
  if (!json_is (json_object_get (doc, "key"), JSON_OBJECT))
    return hr_error_set (err, 0, "\"key\" must be an object");
  if (state == NULL || (strcmp (state, "recording") != 0 && strcmp (state, "promoted") != 0))
    return hr_error_set (err, 0, "\"state\" must be \"recording\" or \"promoted\"");
  if (json_number_to_u64 (json_object_get (doc, "runs"), &n) < 0
      || json_number_to_u64 (json_object_get (doc, "quiet_runs"), &n) < 0)
    return hr_error_set (err, 0, "\"runs\" and \"quiet_runs\" must be counts");
  for (size_t s = 0; s < LEARNED_SECTION_COUNT; s++)
    {
      const struct json *sec = json_object_get (doc, section_keys[s]);
      if (!json_is (sec, JSON_OBJECT) || sec->obj.len > LEARNED_MAX_ITEMS)
        return hr_error_set (err, 0, "\"%s\" must be an object of at most %d items", section_keys[s],
                             LEARNED_MAX_ITEMS);
      for (size_t i = 0; i < sec->obj.len; i++)
        if (check_sighting (&sec->obj.members[i], section_keys[s], err) < 0)
          return -1;
    }
  return 0;
}

const char *
learned_name (const struct json *doc)
{
  return json_string (json_object_get (doc, "name"));
}

bool
learned_promoted (const struct json *doc)
{
  const char *state = json_string (json_object_get (doc, "state"));
  return state != NULL && strcmp (state, "promoted") == 0;
}

void
learned_set_promoted (struct json *doc, bool promoted)
{
  json_object_set (doc, "state", json_new_string (promoted ? "promoted" : "recording"));
}

const struct json *
learned_section (const struct json *doc, enum learned_section s)
{
  return json_object_get (doc, section_keys[s]);
}

bool
learned_has (const struct json *doc, enum learned_section s, const char *item)
{
  return json_object_get (learned_section (doc, s), item) != NULL;
}

uint64_t
learned_count (const struct json *doc, enum learned_section s)
{
  const struct json *sec = learned_section (doc, s);
  return json_is (sec, JSON_OBJECT) ? sec->obj.len : 0;
}

int64_t
learned_int (const struct json *doc, const char *key)
{
  int64_t v = 0;
  json_number_to_i64 (json_object_get (doc, key), &v);
  return v;
}

static struct json *
sighting (uint64_t count, const char *first, const char *last)
{
  struct json *o = json_new_object ();
  json_object_append (o, "count", json_new_uint (count));
  json_object_append (o, "first", json_new_string (first));
  json_object_append (o, "last", json_new_string (last));
  return o;
}

bool
learned_note (struct json *doc, enum learned_section s, const char *item, uint64_t count,
              const char *first, const char *last)
{
  struct json *sec = json_object_get (doc, section_keys[s]);
  struct json *seen = json_object_get (sec, item);
  const char *was_first, *was_last;
  uint64_t was = 0;

  if (seen == NULL)
    {
      if (strlen (item) == 0 || strlen (item) > LEARNED_MAX_ITEM_LEN || sec->obj.len >= LEARNED_MAX_ITEMS)
        return false;
      json_object_append (sec, item, sighting (count, first, last));
      return true;
    }
  json_number_to_u64 (json_object_get (seen, "count"), &was);
  was_first = json_string (json_object_get (seen, "first"));
  was_last = json_string (json_object_get (seen, "last"));
  /* RFC 3339 in UTC, one format: the text orders as the time does */
  json_object_set (seen, "count", json_new_uint (was + count < was ? UINT64_MAX : was + count));
  if (was_first == NULL || strcmp (first, was_first) < 0)
    json_object_set (seen, "first", json_new_string (first));
  if (was_last == NULL || strcmp (last, was_last) > 0)
    json_object_set (seen, "last", json_new_string (last));
  return false;
}

bool
learned_merge (struct json *into, const struct json *from)
{
  bool saw_new = false;

  for (size_t s = 0; s < LEARNED_SECTION_COUNT; s++)
    {
      const struct json *sec = learned_section (from, (enum learned_section) s);
      for (size_t i = 0; json_is (sec, JSON_OBJECT) && i < sec->obj.len; i++)
        {
          const struct json_member *m = &sec->obj.members[i];
          uint64_t count = 0;
          const char *first = json_string (json_object_get (m->value, "first"));
          const char *last = json_string (json_object_get (m->value, "last"));
          json_number_to_u64 (json_object_get (m->value, "count"), &count);
          if (first != NULL && last != NULL)
            saw_new |= learned_note (into, (enum learned_section) s, m->key, count, first, last);
        }
    }
  return saw_new;
}

void
learned_end_run (struct json *doc, bool saw_new, int64_t promote_after)
{
  int64_t quiet = saw_new ? 0 : learned_int (doc, "quiet_runs") + 1;

  json_object_set (doc, "runs", json_new_uint ((uint64_t) learned_int (doc, "runs") + 1));
  json_object_set (doc, "quiet_runs", json_new_uint ((uint64_t) quiet));
  if (promote_after > 0 && quiet >= promote_after)
    learned_set_promoted (doc, true);
}

enum learning_mode
learned_effective_mode (enum learning_mode asked, const struct json *profile)
{
  bool promoted = profile != NULL && learned_promoted (profile);

  switch (asked)
    {
    case LEARNING_RECORD:
      return promoted ? LEARNING_ENFORCE : LEARNING_RECORD;
    case LEARNING_COMPLAIN:
      return profile != NULL ? LEARNING_COMPLAIN : LEARNING_RECORD;
    case LEARNING_ENFORCE:
      return promoted ? LEARNING_ENFORCE : LEARNING_OFF;
    default:
      return LEARNING_OFF;
    }
}

static int
compare_members (const void *a, const void *b)
{
  return strcmp (((const struct json_member *) a)->key, ((const struct json_member *) b)->key);
}

void
learned_sort (struct json *doc)
{
  for (size_t s = 0; s < LEARNED_SECTION_COUNT; s++)
    {
      struct json *sec = json_object_get (doc, section_keys[s]);
      if (json_is (sec, JSON_OBJECT) && sec->obj.len > 1)
        qsort (sec->obj.members, sec->obj.len, sizeof *sec->obj.members, compare_members);
    }
}
