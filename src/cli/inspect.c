/* `hardrun inspect ID`: a container's forensic record, alive or deleted.
 * `hardrun history`: recent launches and refusals from the decision log. */
#include "config.h"
#include "cli/verbs.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/cleanup.h"
#include "policy/configuration.h"
#include "record/record.h"
#include "spec/spec.h"

static struct json *
load_json_file (const char *path)
{
  cleanup_free char *raw = NULL;
  size_t len;
  struct stat st;
  struct hr_error err;
  struct json *v = NULL;

  if (spec_read_file (AT_FDCWD, path, &raw, &len, &st, &err) < 0 || json_parse (raw, len, 0, &v, &err) < 0)
    return NULL;
  return v;
}

static void
print_time (const char *label, const struct json *v)
{
  int64_t t;
  char buf[64];
  struct tm tm;
  time_t tt;

  if (json_number_to_i64 (v, &t) < 0)
    return;
  tt = (time_t) t;
  gmtime_r (&tt, &tm);
  strftime (buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  printf ("  %-14s %s\n", label, buf);
}

static void
print_json (const char *label, const struct json *v)
{
  cleanup_free char *text = NULL;
  struct hr_error err;
  if (v != NULL && json_write (v, 0, &text, NULL, &err) == 0)
    printf ("  %-14s %s\n", label, text);
}

int
inspect_main (int argc, char *const argv[])
{
  struct hr_config cfg;
  struct hr_error err = { 0 };
  bool as_json = false;
  const char *id = NULL;
  char **dirs = NULL;
  size_t n = 0;
  struct json *all = json_new_array ();

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--json") == 0)
      as_json = true;
    else if (id == NULL && argv[i][0] != '-')
      id = argv[i];
    else
      {
        fprintf (stderr, "usage: hardrun inspect [--json] ID\n");
        json_free (all);
        return 2;
      }
  if (id == NULL)
    {
      fprintf (stderr, "usage: hardrun inspect [--json] ID\n");
      json_free (all);
      return 2;
    }
  if (config_load (&cfg, &err) < 0)
    {
      fprintf (stderr, "hardrun inspect: invalid configuration: %s\n", err.msg);
      config_release (&cfg);
      json_free (all);
      return 2;
    }
  if (record_find (cfg.state_dir, id, &dirs, &n, &err) < 0)
    {
      fprintf (stderr, "hardrun inspect: %s\n", err.msg);
      config_release (&cfg);
      json_free (all);
      return 1;
    }

  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *rec_path = hr_xasprintf ("%s/record.json", dirs[i]);
      struct json *rec = load_json_file (rec_path);
      struct json *dec = json_clone (json_object_get (rec, "launch"));
      struct json *execs = json_new_array ();
      struct json *entry = json_new_object ();

      for (unsigned k = 1; k < 100000; k++)
        {
          cleanup_free char *p = hr_xasprintf ("%s/exec-%u.decision.json", dirs[i], k);
          struct json *e = load_json_file (p);
          if (e == NULL)
            break;
          json_array_append (execs, e);
        }
      if (!as_json)
        {
          const struct json *process = json_object_get (rec, "process");
          printf ("%s (%s)\n", id, dirs[i]);
          printf ("  %-14s %s\n", "bundle", json_string (json_object_get (rec, "bundle")) ?: "?");
          printf ("  %-14s %s\n", "runc root", json_string (json_object_get (rec, "root")) ?: "?");
          print_time ("created", json_object_get (rec, "created"));
          print_time ("deleted", json_object_get (rec, "deleted"));
          print_json ("lifetime (s)", json_object_get (rec, "lifetime_seconds"));
          printf ("  %-14s %s (rule %s, mode %s)\n", "profile",
                  json_string (json_object_get (rec, "profile")) ?: "?",
                  json_string (json_object_get (rec, "profile_rule")) ?: "?",
                  json_string (json_object_get (rec, "mode")) ?: "?");
          printf ("  %-14s %s\n", "decision", json_string (json_object_get (rec, "decision")) ?: "?");
          print_json ("workload", json_object_get (rec, "workload"));
          print_json ("capabilities", json_object_get (json_object_get (process, "capabilities"), "bounding"));
          print_json ("noNewPrivs", json_object_get (process, "noNewPrivileges"));
          for (size_t k = 0; k < execs->arr.len; k++)
            {
              const struct json *e = execs->arr.items[k];
              cleanup_free char *label = hr_xasprintf ("exec %zu", k + 1);
              cleanup_free char *argv_text = NULL;
              json_write (json_object_get (e, "argv") ?: json_object_get (e, "command"), 0, &argv_text, NULL, &err);
              printf ("  %-14s %s %s %s\n", label, json_string (json_object_get (e, "time")) ?: "",
                      json_string (json_object_get (e, "decision")) ?: "?", argv_text ? argv_text : "");
            }
          printf ("  %-14s config.original.json config.hardened.json record.json%s\n",
                  "files", execs->arr.len ? " exec-N.{process,hardened,decision}.json" : "");
        }
      json_object_append (entry, "directory", json_new_string (dirs[i]));
      json_object_append (entry, "record", rec ? rec : json_new_null ());
      json_object_append (entry, "decision", dec ? dec : json_new_null ());
      json_object_append (entry, "execs", execs);
      json_array_append (all, entry);
      free (dirs[i]);
    }
  free (dirs);
  if (as_json)
    {
      cleanup_free char *text = NULL;
      if (json_write (all, JSON_WRITE_PRETTY, &text, NULL, &err) == 0)
        printf ("%s\n", text);
    }
  json_free (all);
  config_release (&cfg);
  return 0;
}

static bool
matches (const char *pattern, const struct json *workload, const char *field)
{
  const char *v = json_string (json_object_get (workload, field));
  return pattern == NULL || (v != NULL && fnmatch (pattern, v, 0) == 0);
}

int
history_main (int argc, char *const argv[])
{
  struct hr_config cfg;
  struct hr_error err = { 0 };
  const char *ns = NULL, *image = NULL;
  bool as_json = false;
  long limit = 50;
  cleanup_free char *raw = NULL;
  size_t len = 0;
  struct stat st;
  struct json **picked = NULL;
  size_t n_picked = 0;
  static const char usage[] =
      "usage: hardrun history [--json] [--namespace PATTERN] [--image PATTERN] [-n COUNT]\n";

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--json") == 0)
        as_json = true;
      else if (strcmp (argv[i], "--namespace") == 0 && i + 1 < argc)
        ns = argv[++i];
      else if (strcmp (argv[i], "--image") == 0 && i + 1 < argc)
        image = argv[++i];
      else if (strcmp (argv[i], "-n") == 0 && i + 1 < argc)
        limit = strtol (argv[++i], NULL, 10);
      else
        {
          fputs (usage, strcmp (argv[i], "--help") == 0 ? stdout : stderr);
          return strcmp (argv[i], "--help") == 0 ? 0 : 2;
        }
    }
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
          || !matches (ns, json_object_get (v, "workload"), "namespace")
          || !matches (image, json_object_get (v, "workload"), "image"))
        {
          json_free (v);
          continue;
        }
      picked = hr_xrealloc (picked, (n_picked + 1) * sizeof *picked);
      picked[n_picked++] = v;
    }
  for (size_t i = n_picked > (size_t) limit && limit > 0 ? n_picked - (size_t) limit : 0; i < n_picked; i++)
    {
      const struct json *v = picked[i];
      const struct json *wl = json_object_get (v, "workload");
      const struct json *items = json_object_get (v, "items");
      const char *why = NULL;
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
                json_string (json_object_get (v, "decision")) ?: "?",
                json_string (json_object_get (v, "id")) ?: "-",
                json_string (json_object_get (v, "profile")) ?: "-",
                json_string (json_object_get (wl, "namespace")) ?: "-",
                json_string (json_object_get (wl, "image")) ?: "-", why ? "  " : "", why ? why : "");
    }
  for (size_t i = 0; i < n_picked; i++)
    json_free (picked[i]);
  free (picked);
  config_release (&cfg);
  return 0;
}
