/* timeit CASES REPS: run each case of the CASES file REPS times, the cases
 * interleaved (A B C A B C ...), and print per case the median wall time of
 * its timed commands and its peak RSS.
 *
 * A case is one line:  label|setup|timed|teardown
 * setup and teardown are shell commands run untimed (may be empty); timed is
 * one or more commands separated by " ;; ", each split on spaces and run
 * with execv (no shell), their times summed; leading NAME=VALUE words set
 * its environment. A timed command that fails
 * fails the benchmark. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CASES 64
#define MAX_ARGS 64

struct bench_case
{
  char *label, *setup, *timed, *teardown;
  double *samples;
  long max_rss_kb;
};

static double
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6;
}

static int
shell (const char *cmd)
{
  if (cmd == NULL || *cmd == '\0')
    return 0;
  return system (cmd);
}

/* Run one command (split on spaces); returns its wall time in ms. */
static double
run_timed (const char *cmd, long *rss_kb)
{
  char *copy = strdup (cmd), *args[MAX_ARGS], *save = NULL;
  int n = 0, status;
  struct rusage ru;
  double start;
  pid_t pid;

  for (char *t = strtok_r (copy, " ", &save); t && n < MAX_ARGS - 1; t = strtok_r (NULL, " ", &save))
    args[n++] = t;
  args[n] = NULL;
  start = now_ms ();
  pid = fork ();
  if (pid == 0)
    {
      /* leading NAME=VALUE words set the command's environment */
      int first = 0;
      while (first < n && strchr (args[first], '=') != NULL && args[first][0] != '/')
        putenv (args[first++]);
      execv (args[first], args + first);
      _exit (127);
    }
  if (wait4 (pid, &status, 0, &ru) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      fprintf (stderr, "timeit: `%s` failed (status %d)\n", cmd, status);
      exit (1);
    }
  start = now_ms () - start;
  if (ru.ru_maxrss > *rss_kb)
    *rss_kb = ru.ru_maxrss;
  free (copy);
  return start;
}

static int
cmp (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int argc, char *argv[])
{
  struct bench_case cases[MAX_CASES];
  int n = 0, reps;
  char line[8192];
  FILE *f;

  if (argc != 3 || (f = fopen (argv[1], "r")) == NULL || (reps = atoi (argv[2])) < 1)
    {
      fprintf (stderr, "usage: timeit CASES REPS\n");
      return 2;
    }
  while (n < MAX_CASES && fgets (line, sizeof line, f) != NULL)
    {
      char *save = NULL;
      line[strcspn (line, "\n")] = '\0';
      if (line[0] == '\0' || line[0] == '#')
        continue;
      cases[n].label = strdup (strtok_r (line, "|", &save));
      cases[n].setup = strdup (strtok_r (NULL, "|", &save) ?: "");
      cases[n].timed = strdup (strtok_r (NULL, "|", &save) ?: "");
      cases[n].teardown = strdup (strtok_r (NULL, "|", &save) ?: "");
      /* strtok_r skips empty fields: an empty setup is written as ":" */
      if (strcmp (cases[n].setup, ":") == 0)
        cases[n].setup[0] = '\0';
      if (strcmp (cases[n].teardown, ":") == 0)
        cases[n].teardown[0] = '\0';
      cases[n].samples = calloc ((size_t) reps, sizeof (double));
      cases[n].max_rss_kb = 0;
      n++;
    }
  fclose (f);

  for (int r = 0; r < reps; r++)
    for (int c = 0; c < n; c++)
      {
        double total = 0;
        char *timed = strdup (cases[c].timed), *p = timed, *sep;
        shell (cases[c].setup);
        while (p != NULL)
          {
            sep = strstr (p, " ;; ");
            if (sep)
              *sep = '\0';
            total += run_timed (p, &cases[c].max_rss_kb);
            p = sep ? sep + 4 : NULL;
          }
        free (timed);
        shell (cases[c].teardown);
        cases[c].samples[r] = total;
      }

  for (int c = 0; c < n; c++)
    {
      qsort (cases[c].samples, (size_t) reps, sizeof (double), cmp);
      printf ("%s\t%.3f\t%ld\n", cases[c].label, cases[c].samples[reps / 2], cases[c].max_rss_kb);
    }
  return 0;
}
