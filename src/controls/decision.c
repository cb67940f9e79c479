#include "config.h"
#include "controls/decision.h"

#include <string.h>

#include "base/cleanup.h"

void
decision_add (struct decision *d, enum decision_kind kind, const char *control, const char *path,
              const struct json *before, const struct json *after, const char *message,
              const char *allow)
{
  struct decision_item *it;

  if (d->len == d->cap)
    {
      d->cap = d->cap ? d->cap * 2 : 16;
      d->items = hr_xrealloc (d->items, d->cap * sizeof *d->items);
    }
  it = &d->items[d->len++];
  it->kind = kind;
  it->control = hr_xstrdup (control);
  it->path = hr_xstrdup (path ? path : "");
  it->before = json_clone (before);
  it->after = json_clone (after);
  it->message = message ? hr_xstrdup (message) : NULL;
  it->allow = allow ? hr_xstrdup (allow) : NULL;
}

enum verdict
decision_verdict (const struct decision *d)
{
  enum verdict v = VERDICT_ALLOW;
  for (size_t i = 0; i < d->len; i++)
    {
      if (d->items[i].kind == DECISION_REFUSAL)
        return VERDICT_DENY;
      if (d->items[i].kind == DECISION_CHANGE)
        v = VERDICT_MODIFY;
    }
  return v;
}

const char *
verdict_name (enum verdict v, bool audit)
{
  switch (v)
    {
    case VERDICT_ALLOW:
      return "allow";
    case VERDICT_MODIFY:
      return audit ? "would modify" : "modify";
    case VERDICT_DENY:
      return audit ? "would refuse" : "deny";
    }
  return "?";
}

const struct decision_item *
decision_first_refusal (const struct decision *d)
{
  for (size_t i = 0; i < d->len; i++)
    if (d->items[i].kind == DECISION_REFUSAL)
      return &d->items[i];
  return NULL;
}

static const char *
kind_name (enum decision_kind k)
{
  switch (k)
    {
    case DECISION_CHANGE:
      return "change";
    case DECISION_FINDING:
      return "finding";
    case DECISION_REFUSAL:
      return "refusal";
    }
  return "?";
}

struct json *
decision_items_json (const struct decision *d)
{
  struct json *arr = json_new_array ();
  for (size_t i = 0; i < d->len; i++)
    {
      const struct decision_item *it = &d->items[i];
      struct json *o = json_new_object ();
      json_object_append (o, "kind", json_new_string (kind_name (it->kind)));
      json_object_append (o, "control", json_new_string (it->control));
      json_object_append (o, "path", json_new_string (it->path));
      if (it->before || it->after)
        {
          json_object_append (o, "before", it->before ? json_clone (it->before) : json_new_null ());
          json_object_append (o, "after", it->after ? json_clone (it->after) : json_new_null ());
        }
      if (it->message)
        json_object_append (o, "message", json_new_string (it->message));
      if (it->allow)
        json_object_append (o, "allow", json_new_string (it->allow));
      json_array_append (arr, o);
    }
  return arr;
}

void
decision_release (struct decision *d)
{
  for (size_t i = 0; i < d->len; i++)
    {
      free (d->items[i].control);
      free (d->items[i].path);
      json_free (d->items[i].before);
      json_free (d->items[i].after);
      free (d->items[i].message);
      free (d->items[i].allow);
    }
  free (d->items);
  memset (d, 0, sizeof *d);
}
