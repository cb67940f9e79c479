/* The decision for one launch: every change and finding, and the verdict. */
#ifndef HARDRUN_DECISION_H
#define HARDRUN_DECISION_H

#include <stdbool.h>
#include <stddef.h>

#include "spec/json.h"

enum decision_kind
{
  DECISION_CHANGE,  /* applied to the config */
  DECISION_FINDING, /* recorded only (audit action, or information) */
  DECISION_REFUSAL, /* the launch must not go ahead */
};

enum verdict
{
  VERDICT_ALLOW,
  VERDICT_MODIFY,
  VERDICT_DENY,
};

struct decision_item
{
  enum decision_kind kind;
  char *control;
  char *path;
  struct json *before; /* NULL: absent */
  struct json *after;
  char *message;
  char *allow; /* the configuration key that would allow it, or NULL */
};

struct decision
{
  struct decision_item *items;
  size_t len, cap;
};

void decision_add (struct decision *d, enum decision_kind kind, const char *control,
                   const char *path, const struct json *before, const struct json *after,
                   const char *message, const char *allow);
enum verdict decision_verdict (const struct decision *d);
/* "allow", "modify", "deny"; in audit mode "allow", "would modify", "would refuse". */
const char *verdict_name (enum verdict v, bool audit);
/* The first refusal's message, for the one error line. */
const struct decision_item *decision_first_refusal (const struct decision *d);
/* JSON array of the items, for the decision log. */
struct json *decision_items_json (const struct decision *d);
void decision_release (struct decision *d);

#endif
