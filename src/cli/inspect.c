/* `hardrun inspect ID`: a container's forensic record, alive or deleted. */
#include "config.h"
#include "cli/verbs.h"

#include <fcntl.h>
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

/* The exec decisions of a record, in order. */
static struct json *
load_execs (const char *dir)
{
  struct json *execs = json_new_array ();

  for (unsigned k = 1; k < 100000; k++)
    {
      cleanup_free char *p = hr_xasprintf ("%s/exec-%u.decision.json", dir, k);
      struct json *e = load_json_file (p);
      if (e == NULL)
        break;
      json_array_append (execs, e);
    }
  return execs;
}

static void
print_execs (const struct json *execs)
{
  struct hr_error err;

  for (size_t k = 0; k < execs->arr.len; k++)
    {
      const struct json *e = execs->arr.items[k];
      cleanup_free char *label = hr_xasprintf ("exec %zu", k + 1);
      cleanup_free char *argv_text = NULL;
      json_write (json_object_get (e, "argv") ?: json_object_get (e, "command"), 0, &argv_text, NULL, &err);
      printf ("  %-14s %s %s %s\n", label, json_string (json_object_get (e, "time")) ?: "",
              json_string (json_object_get (e, "decision")) ?: "?", argv_text ? argv_text : "");
    }
}

static void
print_record (const char *id, const char *dir, const struct json *rec, const struct json *execs)
{
  const struct json *process = json_object_get (rec, "process");

  printf ("%s (%s)\n", id, dir);
  printf ("  %-14s %s\n", "bundle", json_string (json_object_get (rec, "bundle")) ?: "?");
  printf ("  %-14s %s\n", "runc root", json_string (json_object_get (rec, "root")) ?: "?");
  print_time ("created", json_object_get (rec, "created"));
  print_time ("deleted", json_object_get (rec, "deleted"));
  print_json ("lifetime (s)", json_object_get (rec, "lifetime_seconds"));
  printf ("  %-14s %s (rule %s, mode %s)\n", "profile", json_string (json_object_get (rec, "profile")) ?: "?",
          json_string (json_object_get (rec, "profile_rule")) ?: "?",
          json_string (json_object_get (rec, "mode")) ?: "?");
  printf ("  %-14s %s\n", "decision", json_string (json_object_get (rec, "decision")) ?: "?");
  print_json ("workload", json_object_get (rec, "workload"));
  print_json ("capabilities", json_object_get (json_object_get (process, "capabilities"), "bounding"));
  print_json ("noNewPrivs", json_object_get (process, "noNewPrivileges"));
  print_execs (execs);
  printf ("  %-14s config.original.json config.hardened.json record.json%s\n", "files",
          execs->arr.len ? " exec-N.{process,hardened,decision}.json" : "");
}

/* One record directory, as the JSON entry (printed as text unless as_json). */
static struct json *
inspect_dir (const char *id, const char *dir, bool as_json)
{
  cleanup_free char *rec_path = hr_xasprintf ("%s/record.json", dir);
  struct json *rec = load_json_file (rec_path);
  struct json *dec = json_clone (json_object_get (rec, "launch"));
  struct json *execs = load_execs (dir);
  struct json *entry = json_new_object ();

  if (!as_json)
    print_record (id, dir, rec, execs);
  json_object_append (entry, "directory", json_new_string (dir));
  json_object_append (entry, "record", rec ? rec : json_new_null ());
  json_object_append (entry, "decision", dec ? dec : json_new_null ());
  json_object_append (entry, "execs", execs);
  return entry;
}

/* [--json] ID: 0, or 2 with the usage printed. */
static int
parse_options (int argc, char *const argv[], bool *as_json, const char **id)
{
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--json") == 0)
      *as_json = true;
    else if (*id == NULL && argv[i][0] != '-')
      *id = argv[i];
    else
      {
        *id = NULL;
        break;
      }
  if (*id != NULL)
    return 0;
  fprintf (stderr, "usage: hardrun inspect [--json] ID\n");
  return 2;
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
  cleanup_json struct json *all = NULL;

  if (parse_options (argc, argv, &as_json, &id) != 0)
    return 2;
  if (config_load (&cfg, &err) < 0)
    {
      fprintf (stderr, "hardrun inspect: invalid configuration: %s\n", err.msg);
      config_release (&cfg);
      return 2;
    }
  if (record_find (cfg.state_dir, id, &dirs, &n, &err) < 0)
    {
      fprintf (stderr, "hardrun inspect: %s\n", err.msg);
      config_release (&cfg);
      return 1;
    }
  all = json_new_array ();
  for (size_t i = 0; i < n; i++)
    {
      json_array_append (all, inspect_dir (id, dirs[i], as_json));
      free (dirs[i]);
    }
  free (dirs);
  if (as_json)
    {
      cleanup_free char *text = NULL;
      if (json_write (all, JSON_WRITE_PRETTY, &text, NULL, &err) == 0)
        printf ("%s\n", text);
    }
  config_release (&cfg);
  return 0;
}
