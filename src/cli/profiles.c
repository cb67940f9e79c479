/* `hardrun profiles`: show or load hardrun's AppArmor profile. */
#include "config.h"
#include "cli/verbs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "policy/policy.h"

#ifdef HAVE_APPARMOR
#include <sys/apparmor.h>
#endif

static const char usage[] =
    "usage: hardrun profiles show      print hardrun's AppArmor profile (hardrun-default)\n"
    "       hardrun profiles install   load it into the kernel with apparmor_parser -r\n";

static const char *
find_parser (void)
{
  static const char *const candidates[] = { "/usr/sbin/apparmor_parser", "/sbin/apparmor_parser",
                                            "/usr/bin/apparmor_parser", NULL };
  for (const char *const *c = candidates; *c; c++)
    if (access (*c, X_OK) == 0)
      return *c;
  return NULL;
}

/* Feed the profile to apparmor_parser on its standard input. */
static int
load_profile (const char *parser)
{
  int fds[2];
  pid_t pid;
  int status;
  size_t done = 0;

  if (pipe (fds) < 0)
    return perror ("hardrun profiles: pipe"), 1;
  pid = fork ();
  if (pid < 0)
    return perror ("hardrun profiles: fork"), 1;
  if (pid == 0)
    {
      dup2 (fds[0], 0);
      close (fds[0]);
      close (fds[1]);
      execl (parser, parser, "-r", "-W", (char *) NULL);
      _exit (127);
    }
  close (fds[0]);
  while (done < hr_embedded_apparmor_len)
    {
      ssize_t w = write (fds[1], hr_embedded_apparmor + done, hr_embedded_apparmor_len - done);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        break;
      done += (size_t) w;
    }
  close (fds[1]);
  if (waitpid (pid, &status, 0) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      fprintf (stderr, "hardrun profiles: %s could not load hardrun-default\n", parser);
      return 1;
    }
  printf ("hardrun-default loaded\n");
  return 0;
}

int
profiles_main (int argc, char *const argv[])
{
  const char *parser;

  if (argc == 2 && strcmp (argv[1], "show") == 0)
    {
      fwrite (hr_embedded_apparmor, 1, hr_embedded_apparmor_len, stdout);
      return 0;
    }
  if (argc != 2 || strcmp (argv[1], "install") != 0)
    {
      fputs (usage, argc == 2 && strcmp (argv[1], "--help") == 0 ? stdout : stderr);
      return argc == 2 && strcmp (argv[1], "--help") == 0 ? 0 : 2;
    }
#ifdef HAVE_APPARMOR
  if (aa_is_enabled () != 1)
#endif
    {
      fprintf (stderr, "hardrun profiles: AppArmor is not active on this host: there is nothing "
                       "to load hardrun-default into (hardrun adds no AppArmor profile here)\n");
      return 1;
    }
  parser = find_parser ();
  if (parser == NULL)
    {
      fprintf (stderr, "hardrun profiles: apparmor_parser not found: install the apparmor "
                       "package\n");
      return 1;
    }
  return load_profile (parser);
}
