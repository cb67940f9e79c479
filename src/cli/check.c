/* check: decide for a bundle or a bare config.json as a launch would,
 * and change nothing. */
#include "config.h"
#include "cli/verbs.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "decide/outcome.h"
#include "policy/configuration.h"
#include "record/decision_log.h"

static const char usage[] =
    "usage: hardrun check [--json] [--print-config] [--assume-lsm apparmor|selinux|none]\n"
    "                     BUNDLE|CONFIG.json\n"
    "  Decide as a launch would, change nothing.\n"
    "  --json          print the decision record as JSON\n"
    "  --print-config  print the config.json that would be written\n"
    "  --assume-lsm    decide as if the host had this LSM active (and hardrun's\n"
    "                  AppArmor profile loaded), to check configs for other hosts\n"
    "  exit status: 0 would start (perhaps modified), 1 would refuse,\n"
    "               2 unreadable input or configuration\n";

static const char *
kind_label (enum decision_kind k)
{
  switch (k)
    {
    case DECISION_CHANGE:
      return "change ";
    case DECISION_FINDING:
      return "finding";
    case DECISION_REFUSAL:
      return "REFUSE ";
    }
  return "?";
}

static void
print_value (const struct json *v)
{
  cleanup_free char *text = NULL;
  struct hr_error err;

  if (v == NULL || json_write (v, 0, &text, NULL, &err) < 0)
    return;
  if (strlen (text) > 160)
    strcpy (text + 150, "...");
  printf ("      value: %s\n", text);
}

static void
print_summary (const char *input, const struct outcome *out, bool audit)
{
  printf ("%s: %s (profile \"%s\" chosen by %s%s, mode %s)\n", input,
          verdict_name (out->verdict, audit), out->policy.name, out->selection.rule,
          out->selection.requested ? " at the workload's request" : "", audit ? "audit" : "enforce");
  for (size_t i = 0; i < out->decision.len; i++)
    {
      const struct decision_item *it = &out->decision.items[i];
      printf ("  %s %-18s %s\n", kind_label (it->kind), it->control, it->path);
      if (it->message)
        printf ("      %s\n", it->message);
      if (it->kind != DECISION_CHANGE)
        print_value (it->before);
      if (it->allow)
        printf ("      to allow it: %s\n", it->allow);
    }
  if (out->decision.len == 0)
    printf ("  nothing to change\n");
}

struct check_options
{
  bool as_json, print_config;
  const char *assume_lsm;
  const char *input;
};

/* 0, or the exit status to return (usage printed). */
static int
parse_options (int argc, char *const argv[], struct check_options *o)
{
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--json") == 0)
        o->as_json = true;
      else if (strcmp (argv[i], "--print-config") == 0)
        o->print_config = true;
      else if (strcmp (argv[i], "--assume-lsm") == 0 && i + 1 < argc)
        o->assume_lsm = argv[++i];
      else if (strncmp (argv[i], "--assume-lsm=", 13) == 0)
        o->assume_lsm = argv[i] + 13;
      else if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          fputs (usage, stdout);
          return -1;
        }
      else if (argv[i][0] == '-' && strcmp (argv[i], "-") != 0 && strcmp (argv[i], "--") != 0)
        {
          fprintf (stderr, "hardrun check: unknown option %s\n%s", argv[i], usage);
          return 2;
        }
      else if (strcmp (argv[i], "--") == 0 && i + 1 < argc && o->input == NULL)
        o->input = argv[++i];
      else if (o->input == NULL)
        o->input = argv[i];
      else
        {
          fprintf (stderr, "hardrun check: one BUNDLE or CONFIG.json only\n%s", usage);
          return 2;
        }
    }
  if (o->input == NULL)
    {
      fprintf (stderr, "%s", usage);
      return 2;
    }
  return 0;
}

/* Decide for the input, a bundle directory or a config file. 0, or -1
 * with the reason printed. */
static int
decide (const struct check_options *o, const struct hr_config *cfg, struct host_facts *host,
        struct outcome *out)
{
  cleanup_close int dirfd = -1;
  cleanup_free char *dir_copy = NULL;
  cleanup_free char *base_copy = NULL;
  cleanup_free char *bundle = NULL;
  const char *dir;
  const char *name = "config.json";
  struct hr_error err = { 0 };
  struct stat st;
  struct mcs_state mcs = { .state_dir = cfg->state_dir };
  struct mcs_allocator preview;

  if (stat (o->input, &st) < 0)
    {
      fprintf (stderr, "hardrun check: %s: %s\n", o->input, strerror (errno));
      return -1;
    }
  if (S_ISDIR (st.st_mode))
    dir = o->input;
  else
    {
      dir_copy = hr_xstrdup (o->input);
      base_copy = hr_xstrdup (o->input);
      dir = dirname (dir_copy);
      name = basename (base_copy);
    }
  dirfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0)
    {
      fprintf (stderr, "hardrun check: %s: %s\n", o->input, strerror (errno));
      return -1;
    }
  /* runc resolves relative paths in the bundle: so does the decision */
  bundle = realpath (dir, NULL);
  /* the category pair a launch would take now, reserving none */
  mcs_allocator_preview (&preview, &mcs);
  if (host_facts_probe (host, &err) < 0
      || (o->assume_lsm != NULL && host_facts_assume_lsm (host, o->assume_lsm, &err) < 0)
      || (host->bundle = bundle, outcome_decide (cfg, host, &preview, dirfd, name, out, &err)) < 0)
    {
      host->bundle = NULL;
      fprintf (stderr, "hardrun check: %s: %s\n", o->input, err.msg);
      return -1;
    }
  host->bundle = NULL;
  return 0;
}

/* Print the decision as asked. 0, or -1 with the reason printed. */
static int
print_decision (const struct check_options *o, const struct hr_config *cfg, struct outcome *out,
                bool audit)
{
  struct hr_error err = { 0 };

  if (o->print_config)
    {
      cleanup_free char *text = NULL;
      if (spec_serialize (&out->spec, true, &text, NULL, &err) < 0)
        {
          fprintf (stderr, "hardrun check: %s\n", err.msg);
          return -1;
        }
      printf ("%s\n", text);
    }
  else if (o->as_json)
    {
      struct launch_record rec = {
        .command = "check",
        .bundle = o->input,
        .delegate = cfg->runtime,
        .outcome = out,
        .mode = mode_name (out->policy.mode),
        .verdict = verdict_name (out->verdict, audit),
      };
      cleanup_free char *line = launch_record_json (&rec);
      printf ("%s\n", line);
    }
  else
    print_summary (o->input, out, audit);
  return 0;
}

int
check_main (int argc, char *const argv[])
{
  struct check_options o = { 0 };
  struct hr_config cfg;
  struct host_facts host = { 0 };
  struct outcome out = { 0 };
  struct hr_error err = { 0 };
  bool audit;
  int status = parse_options (argc, argv, &o);

  if (status != 0)
    return status < 0 ? 0 : status;
  if (config_load (&cfg, &err) < 0)
    {
      fprintf (stderr, "hardrun check: invalid configuration: %s\n", err.msg);
      config_release (&cfg);
      return 2;
    }
  if (decide (&o, &cfg, &host, &out) < 0)
    status = 2;
  else
    {
      audit = out.policy.mode == MODE_AUDIT;
      /* An audited profile refuses nothing: the container would start. */
      if (print_decision (&o, &cfg, &out, audit) < 0)
        status = 2;
      else
        status = (out.verdict == VERDICT_DENY && !audit) ? 1 : 0;
    }
  outcome_release (&out);
  host_facts_release (&host);
  config_release (&cfg);
  return status;
}
