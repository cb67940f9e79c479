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
#include "policy/configuration.h"
#include "record/decision_log.h"
#include "decide/outcome.h"

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

int
check_main (int argc, char *const argv[])
{
  bool as_json = false, print_config = false;
  const char *assume_lsm = NULL;
  const char *input = NULL;
  struct hr_config cfg;
  struct host_facts host = { 0 };
  bool audit;
  struct outcome out = { 0 };
  struct hr_error err = { 0 };
  cleanup_close int dirfd = -1;
  cleanup_free char *dir_copy = NULL;
  cleanup_free char *base_copy = NULL;
  const char *name = "config.json";
  struct stat st;
  int status;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--json") == 0)
        as_json = true;
      else if (strcmp (argv[i], "--print-config") == 0)
        print_config = true;
      else if (strcmp (argv[i], "--assume-lsm") == 0 && i + 1 < argc)
        assume_lsm = argv[++i];
      else if (strncmp (argv[i], "--assume-lsm=", 13) == 0)
        assume_lsm = argv[i] + 13;
      else if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          fputs (usage, stdout);
          return 0;
        }
      else if (argv[i][0] == '-' && strcmp (argv[i], "-") != 0 && strcmp (argv[i], "--") != 0)
        {
          fprintf (stderr, "hardrun check: unknown option %s\n%s", argv[i], usage);
          return 2;
        }
      else if (strcmp (argv[i], "--") == 0 && i + 1 < argc && input == NULL)
        input = argv[++i];
      else if (input == NULL)
        input = argv[i];
      else
        {
          fprintf (stderr, "hardrun check: one BUNDLE or CONFIG.json only\n%s", usage);
          return 2;
        }
    }
  if (input == NULL)
    {
      fprintf (stderr, "%s", usage);
      return 2;
    }

  if (config_load (&cfg, &err) < 0)
    {
      fprintf (stderr, "hardrun check: invalid configuration: %s\n", err.msg);
      config_release (&cfg);
      return 2;
    }
  if (stat (input, &st) < 0)
    {
      fprintf (stderr, "hardrun check: %s: %s\n", input, strerror (errno));
      config_release (&cfg);
      return 2;
    }
  if (S_ISDIR (st.st_mode))
    dirfd = open (input, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  else
    {
      dir_copy = hr_xstrdup (input);
      base_copy = hr_xstrdup (input);
      dirfd = open (dirname (dir_copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      name = basename (base_copy);
    }
  if (dirfd < 0 || host_facts_probe (&host, &err) < 0
      || (assume_lsm != NULL && host_facts_assume_lsm (&host, assume_lsm, &err) < 0)
      || outcome_decide (&cfg, &host, NULL, dirfd, name, &out, &err) < 0)
    {
      fprintf (stderr, "hardrun check: %s: %s\n", input, dirfd < 0 ? strerror (errno) : err.msg);
      outcome_release (&out);
      host_facts_release (&host);
      config_release (&cfg);
      return 2;
    }
  audit = out.policy.mode == MODE_AUDIT;

  if (print_config)
    {
      cleanup_free char *text = NULL;
      if (spec_serialize (&out.spec, true, &text, NULL, &err) < 0)
        {
          fprintf (stderr, "hardrun check: %s\n", err.msg);
          status = 2;
          goto done;
        }
      printf ("%s\n", text);
    }
  else if (as_json)
    {
      struct launch_record rec = {
        .command = "check",
        .bundle = input,
        .delegate = cfg.runtime,
        .outcome = &out,
        .mode = mode_name (out.policy.mode),
        .verdict = verdict_name (out.verdict, audit),
      };
      cleanup_free char *line = launch_record_json (&rec);
      printf ("%s\n", line);
    }
  else
    print_summary (input, &out, audit);
  /* An audited profile refuses nothing: the container would start. */
  status = (out.verdict == VERDICT_DENY && !audit) ? 1 : 0;

done:
  outcome_release (&out);
  host_facts_release (&host);
  config_release (&cfg);
  return status;
}
