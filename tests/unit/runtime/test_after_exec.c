/* after_exec: the job runs only once its starter has exec'd, with what it
 * was given, and never runs when cancelled. */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/cleanup.h"
#include "runtime/after_exec.h"

struct job
{
  char report[PATH_MAX];
  char *message; /* on the starter's heap */
};

/* Writes what it found: the starter's program after the exec, and the
   message it was given. */
static void
job_run (void *p)
{
  struct job *job = p;
  char exe[PATH_MAX] = "", link[64];
  ssize_t n;
  FILE *f;

  snprintf (link, sizeof link, "/proc/%d/exe", (int) getppid ());
  n = readlink (link, exe, sizeof exe - 1);
  exe[n > 0 ? n : 0] = '\0';
  f = fopen (job->report, "w");
  if (f != NULL)
    {
      fprintf (f, "%s\n%s\n", exe, job->message);
      fclose (f);
    }
}

static char *
wait_for_file (const char *path, int seconds)
{
  for (int i = 0; i < seconds * 100; i++)
    {
      FILE *f = fopen (path, "r");
      if (f != NULL)
        {
          char *text = calloc (1, 8192);
          size_t n = fread (text, 1, 8191, f);
          fclose (f);
          if (n > 0 && strchr (text, '\n') != NULL && strchr (strchr (text, '\n') + 1, '\n') != NULL)
            return text;
          free (text);
        }
      usleep (10000);
    }
  return NULL;
}

static void
test_runs_after_the_exec (void **state)
{
  char dir[] = "/tmp/hardrun-after-exec.XXXXXX";
  char report[256];
  pid_t starter;
  int status;

  (void) state;
  assert_non_null (mkdtemp (dir));
  snprintf (report, sizeof report, "%s/report", dir);
  starter = fork ();
  assert_true (starter >= 0);
  if (starter == 0)
    {
      struct after_exec writer;
      struct job *job = malloc (sizeof *job);

      snprintf (job->report, sizeof job->report, "%s", report);
      job->message = strdup ("given at the start");
      if (after_exec_start (&writer, job_run, job) < 0)
        _exit (3);
      /* the heap keeps changing until the exec (as a launch's does) */
      for (int i = 0; i < 100; i++)
        free (malloc (64 + (size_t) i));
      usleep (100000); /* were the job not held back, it would run now */
      execl ("/bin/sleep", "sleep", "0.3", (char *) NULL);
      _exit (4);
    }
  assert_int_equal (waitpid (starter, &status, 0), starter);
  assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  {
    cleanup_free char *text = wait_for_file (report, 10);
    assert_non_null (text);
    assert_non_null (strstr (text, "sleep\n"));
    assert_non_null (strstr (text, "\ngiven at the start\n"));
  }
  unlink (report);
  rmdir (dir);
}

static void
test_cancelled_job_never_runs (void **state)
{
  char dir[] = "/tmp/hardrun-after-exec.XXXXXX";
  char report[256];
  struct after_exec writer;
  struct job *job = malloc (sizeof *job);
  int status;

  (void) state;
  assert_non_null (mkdtemp (dir));
  snprintf (report, sizeof report, "%s/report", dir);
  snprintf (job->report, sizeof job->report, "%s", report);
  job->message = "cancelled";
  /* handed over: the cancel frees it (the leak checks of the sanitizer
     build would say otherwise) */
  assert_int_equal (after_exec_start (&writer, job_run, job), 0);
  assert_true (writer.pid > 0);
  after_exec_cancel (&writer);
  assert_int_equal (writer.pid, 0);
  /* reaped: nothing left to wait for */
  assert_int_equal (waitpid (-1, &status, WNOHANG), -1);
  usleep (200000);
  assert_int_equal (access (report, F_OK), -1);
  rmdir (dir);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_runs_after_the_exec),
    cmocka_unit_test (test_cancelled_job_never_runs),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
