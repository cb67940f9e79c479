#include "config.h"
#include "runtime/delegate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
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
delegate_run (const char *runtime, int argc, char *const argv[], int *status, struct hr_error *err)
{
  int report[2], child_errno = 0, st;
  ssize_t n;
  pid_t pid;

  /* the child reports a failed exec through a pipe closed by a good one */
  if (pipe2 (report, O_CLOEXEC) < 0)
    return hr_error_set (err, errno, "pipe");
  pid = fork ();
  if (pid < 0)
    return hr_error_set (err, errno, "fork");
  if (pid == 0)
    {
      struct hr_error child_err = { 0 };
      close (report[0]);
      delegate_exec (runtime, argc, argv, &child_err);
      child_errno = child_err.code;
      (void) !write (report[1], &child_errno, sizeof child_errno);
      _exit (127);
    }
  close (report[1]);
  do
    n = read (report[0], &child_errno, sizeof child_errno);
  while (n < 0 && errno == EINTR);
  close (report[0]);
  while (waitpid (pid, &st, 0) < 0)
    if (errno != EINTR)
      return hr_error_set (err, errno, "waitpid");
  if (n == (ssize_t) sizeof child_errno)
    return hr_error_set (err, child_errno, "cannot execute the runtime %s", runtime);
  *status = WIFEXITED (st) ? WEXITSTATUS (st) : 128 + WTERMSIG (st);
  return 0;
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

int
delegate_file_from (const char *data, size_t len, int min_fd, struct hr_error *err)
{
  cleanup_close int mfd = memfd_create ("hardrun-process", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  size_t done = 0;
  int fd;

  if (mfd < 0)
    return hr_error_set (err, errno, "memfd_create");
  while (done < len)
    {
      ssize_t w = write (mfd, data + done, len - done);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        return hr_error_set (err, errno, "write to a memfd");
      done += (size_t) w;
    }
  /* what runc reads is what hardrun judged: no one changes it after */
  if (fcntl (mfd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) < 0)
    return hr_error_set (err, errno, "seal a memfd");
  fd = fcntl (mfd, F_DUPFD, min_fd);
  if (fd < 0)
    return hr_error_set (err, errno, "place the process file at fd %d or above", min_fd);
  return fd;
}
