#include "config.h"
#include "runtime/delegate.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/cleanup.h"

int
delegate_exec (const char *runtime, int argc, char *const argv[], struct hr_error *err)
{
  cleanup_free char **args = hr_xcalloc ((size_t) argc + 1, sizeof *args);

  args[0] = (char *) runtime;
  for (int i = 1; i < argc; i++)
    args[i] = argv[i];
  args[argc] = NULL;
  if (setenv (HARDRUN_DELEGATED_ENV, "1", 1) < 0)
    return hr_error_set (err, errno, "setenv");
  execv (runtime, args);
  return hr_error_set (err, errno, "cannot execute the runtime %s", runtime);
}

int
delegate_stdin_from (const char *data, size_t len)
{
  int fds[2];
  pid_t pid;

  if (pipe (fds) < 0)
    return -1;
  pid = fork ();
  if (pid < 0)
    return -1;
  if (pid == 0)
    {
      size_t done = 0;
      close (fds[0]);
      while (done < len)
        {
          ssize_t w = write (fds[1], data + done, len - done);
          if (w <= 0)
            _exit (1);
          done += (size_t) w;
        }
      _exit (0);
    }
  close (fds[1]);
  if (dup2 (fds[0], 0) < 0)
    return -1;
  close (fds[0]);
  return 0;
}
