/* `hardrun history`: recent launches and refusals from the decision log. */
#include "config.h"
#include "cli/verbs.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/cleanup.h"
#include "policy/configuration.h"
#include "spec/spec.h"

static bool
matches (const char *pattern, const struct json *workload, const char *field)
{
  const char *v = json_string (json_object_get (workload, field));
  return pattern == NULL || (v != NULL && fnmatch (pattern, v, 0) == 0);
}

struct history_options
{
  const char *ns, *image;
  bool as_json;
  long limit;
};

static const char usage[] = "usage: hardrun history [--json] [--namespace PATTERN] [--image PATTERN] [-n COUNT]\n";

/* 0, or -1 with *status the exit status (usage printed). */
static int
parse_options (int argc, char *const argv[], struct history_options *o, int *status)
{
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--json") == 0)
        o->as_json = true;
      else if (strcmp (argv[i], "--namespace") == 0 && i + 1 < argc)
        o->ns = argv[++i];
      else if (strcmp (argv[i], "--image") == 0 && i + 1 < argc)
        o->image = argv[++i];
      else if (strcmp (argv[i], "-n") == 0 && i + 1 < argc)
        o->limit = strtol (argv[++i], NULL, 10);
      else
        {
          fputs (usage, strcmp (argv[i], "--help") == 0 ? stdout : stderr);
          *status = strcmp (argv[i], "--help") == 0 ? 0 : 2;
          return -1;
        }
    }
  return 0;
}

/* The launch lines of the log (create, run, restore) that match, in order. */
static struct json **
pick_launches (char *raw, const struct history_options *o, size_t *n_picked)
{
  struct json **picked = NULL;
  struct hr_error err;

  *n_picked = 0;
  for (char *line = raw, *next; line != NULL && *line; line = next)
    {
      struct json *v = NULL;
      const char *cmd;
      next = strchr (line, '\n');
      if (next != NULL)
        *next++ = '\0';
      if (json_parse (line, strlen (line), 0, &v, &err) < 0)
        continue;
      cmd = json_string (json_object_get (v, "command"));
      if (cmd == NULL || (strcmp (cmd, "create") && strcmp (cmd, "run") && strcmp (cmd, "restore"))
          || !matches (o->ns, json_object_get (v, "workload"), "namespace")
          || !matches (o->image, json_object_get (v, "workload"), "image"))
        {
          json_free (v);
          continue;
        }
      picked = hr_xrealloc (picked, (*n_picked + 1) * sizeof *picked);
      picked[(*n_picked)++] = v;
    }
  return picked;
}

static void
print_launch (const struct json *v, bool as_json)
{
  const struct json *wl = json_object_get (v, "workload");
  const struct json *items = json_object_get (v, "items");
  const char *why = NULL;
  struct hr_error err;

  for (size_t k = 0; json_is (items, JSON_ARRAY) && k < items->arr.len && why == NULL; k++)
    if (strcmp (json_string (json_object_get (items->arr.items[k], "kind")) ?: "", "refusal") == 0)
      why = json_string (json_object_get (items->arr.items[k], "message"));
  if (why == NULL)
    why = json_string (json_object_get (v, "error"));
  if (as_json)
    {
      cleanup_free char *text = NULL;
      if (json_write (v, 0, &text, NULL, &err) == 0)
        printf ("%s\n", text);
    }
  else
    printf ("%-27s %-13s %-24s %-10s %-12s %s%s%s\n", json_string (json_object_get (v, "time")) ?: "",
            json_string (json_object_get (v, "decision")) ?: "?", json_string (json_object_get (v, "id")) ?: "-",
            json_string (json_object_get (v, "profile")) ?: "-",
            json_string (json_object_get (wl, "namespace")) ?: "-",
            json_string (json_object_get (wl, "image")) ?: "-", why ? "  " : "", why ? why : "");
}

int
history_main (int argc, char *const argv[])
{
  struct history_options o = { .limit = 50 };
  struct hr_config cfg;
  struct hr_error err = { 0 };
  cleanup_free char *raw = NULL;
  size_t len = 0;
  struct stat st;
  struct json **picked;
  size_t n_picked;
  int status;

  if (parse_options (argc, argv, &o, &status) < 0)
    return status;
  if (config_load (&cfg, &err) < 0)
    {
      fprintf (stderr, "hardrun history: invalid configuration: %s\n", err.msg);
      config_release (&cfg);
      return 2;
    }
  if (spec_read_file (AT_FDCWD, cfg.decision_log, &raw, &len, &st, &err) < 0)
    {
      fprintf (stderr, "hardrun history: %s\n", err.msg);
      config_release (&cfg);
      return 1;
    }
  picked = pick_launches (raw, &o, &n_picked);
  for (size_t i = n_picked > (size_t) o.limit && o.limit > 0 ? n_picked - (size_t) o.limit : 0; i < n_picked; i++)
    print_launch (picked[i], o.as_json);
  for (size_t i = 0; i < n_picked; i++)
    json_free (picked[i]);
  free (picked);
  config_release (&cfg);
  return 0;
}
