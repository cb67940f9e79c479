/* update: the line names the resources it touches; what it sets is read
 * as runc reads it (a field runc does not read is refused), and a pids
 * limit the profile imposes may not be lifted. Resources given on stdin
 * (-r -) are read here and handed to runc unchanged. */
#include "config.h"
#include "cli/verbs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "cli/container.h"
#include "controls/control.h"
#include "spec/spec.h"

#define UPDATE_STDIN_MAX (1024 * 1024)

/* stdin, whole, for runc to read again (container_call_end refeeds it). */
static int
read_stdin (struct container_call *c)
{
  struct hr_buf b = { 0 };
  char buf[8192];
  ssize_t n;

  while ((n = read (0, buf, sizeof buf)) > 0 && b.len <= UPDATE_STDIN_MAX)
    hr_buf_append (&b, buf, (size_t) n);
  if (n < 0 || b.len > UPDATE_STDIN_MAX)
    {
      free (b.data);
      return -1;
    }
  c->stdin_copy = b.data ? b.data : hr_xstrdup ("");
  c->stdin_len = b.len;
  return 0;
}

/* The resources of a --resources file, or of stdin for "-" (kept for runc
 * to read again). NULL when they cannot be read as JSON. */
static struct json *
load_resources (struct container_call *c, const char *value)
{
  cleanup_free char *raw = NULL;
  struct json *res = NULL;
  struct hr_error err;
  struct stat st;
  size_t len = 0;

  if (strcmp (value, "-") == 0)
    {
      if (c->stdin_copy == NULL && read_stdin (c) < 0)
        return NULL;
      raw = hr_xstrndup (c->stdin_copy, c->stdin_len);
      len = c->stdin_len;
    }
  else if (spec_read_file (AT_FDCWD, value, &raw, &len, &st, &err) < 0)
    return NULL;
  if (json_parse (raw, len, 0, &res, &err) < 0)
    return NULL;
  return res;
}

/* Each --resources input: readable, and holding only fields runc reads
 * (the fields control); its pids limit, the last one set winning. */
static int
judge_resources (struct container_call *c, const char *value, int64_t *pids, bool *found)
{
  cleanup_json struct json *res = load_resources (c, value);
  const struct json *limit;

  if (res == NULL)
    return -1;
  control_fields_judge (res, "linux.resources", &c->out.policy, &c->out.decision);
  limit = json_object_get_field (json_object_get_field (res, "pids"), "limit");
  if (limit != NULL && json_number_to_i64 (limit, pids) < 0)
    return -1;
  *found = *found || limit != NULL;
  return 0;
}

/* The new pids limit the update asks for: 0 and *out, -1 if it sets none,
 * -2 if it cannot be read. The last flag that sets one wins, as in runc. */
static int
update_pids_limit (struct container_call *c, int64_t *out)
{
  const struct runc_argv *args = c->call->args;
  bool found = false;

  for (int i = 0; i < args->n_updates; i++)
    {
      const char *flag = args->update_flags[i];
      const char *value = args->update_values[i];
      if (strcmp (flag, "pids-limit") == 0)
        {
          char *end;
          *out = strtoll (value, &end, 10);
          if (*end != '\0')
            return -2;
          found = true;
        }
      else if (strcmp (flag, "resources,r") == 0 && judge_resources (c, value, out, &found) < 0)
        return -2;
    }
  return found ? 0 : -1;
}

static struct json *
resource_names (const struct runc_argv *args)
{
  struct json *which = json_new_array ();

  for (int i = 0; i < args->n_updates; i++)
    {
      size_t n = strcspn (args->update_flags[i], ",");
      cleanup_free char *name = hr_xstrndup (args->update_flags[i], n);
      json_array_append (which, json_new_string (name));
    }
  return which;
}

/* What the update sets, read as runc will read it; a pids limit the
 * profile imposes may not be lifted. */
static void
judge_update (struct container_call *c)
{
  const struct policy *policy = &c->out.policy;
  bool enforced = policy->pids_limit > 0 && policy->actions[CONTROL_RESOURCES] == ACTION_ENFORCE;
  cleanup_free char *why = NULL;
  cleanup_free char *allow = NULL;
  int64_t pids = 0;
  int r = update_pids_limit (c, &pids);

  if (r == -2)
    why = hr_xstrdup ("cannot read the resources the update sets");
  else if (enforced && r == 0 && (pids <= 0 || pids > policy->pids_limit))
    why = hr_xasprintf ("the update lifts the pids limit to %lld, beyond the profile's %lld", (long long) pids,
                        (long long) policy->pids_limit);
  else
    return;
  allow = r == -2 ? NULL : hr_xasprintf ("profiles.%s.resources.pids_limit", policy->name);
  decision_add (&c->out.decision, DECISION_REFUSAL, "resources", "linux.resources.pids.limit", NULL, NULL, why,
                allow);
}

int
verb_update (const struct verb_call *call)
{
  struct container_call c = { 0 };
  int status;

  if (container_call_begin (&c, call, &status) < 0)
    return status;
  json_object_append (c.line, "resources", resource_names (call->args));
  judge_update (&c);
  if (call->args->too_many_flags)
    decision_add (&c.out.decision, DECISION_REFUSAL, "resources", "update", NULL, NULL,
                  "more resource flags than hardrun judges (32)", NULL);
  container_call_seal (&c);
  return container_call_end (&c);
}
