#include "config.h"
#include "runtime/runc_state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "spec/json.h"

const char *
runc_root (const char *root)
{
  return root ? root : "/run/runc";
}

/* runc state's output, at most 1 MiB of it. */
static struct hr_buf
runc_state_output (const char *runtime, const char *root, const char *id)
{
  int fds[2];
  pid_t pid;
  struct hr_buf out = { 0 };
  char buf[4096];
  ssize_t n;

  if (pipe (fds) < 0)
    return out;
  pid = fork ();
  if (pid == 0)
    {
      int devnull = open ("/dev/null", O_RDWR);
      dup2 (fds[1], 1);
      dup2 (devnull, 0);
      dup2 (devnull, 2);
      execl (runtime, runtime, "--root", runc_root (root), "state", id, (char *) NULL);
      _exit (127);
    }
  close (fds[1]);
  while (pid > 0 && (n = read (fds[0], buf, sizeof buf)) > 0 && out.len < 1024 * 1024)
    hr_buf_append (&out, buf, (size_t) n);
  close (fds[0]);
  if (pid > 0)
    waitpid (pid, NULL, 0);
  return out;
}

char *
runc_state_bundle (const char *runtime, const char *root, const char *id)
{
  struct hr_buf out = runc_state_output (runtime, root, id);
  cleanup_json struct json *state = NULL;
  struct hr_error err;
  char *bundle = NULL;

  if (out.data != NULL && json_parse (out.data, out.len, 0, &state, &err) == 0
      && json_string (json_object_get (state, "bundle")) != NULL)
    bundle = hr_xstrdup (json_string (json_object_get (state, "bundle")));
  free (out.data);
  return bundle;
}

void
runc_version_line (const char *runtime, char *buf, size_t len)
{
  int fds[2];
  pid_t pid;
  ssize_t n;

  buf[0] = '\0';
  if (pipe2 (fds, O_CLOEXEC) < 0)
    return;
  pid = fork ();
  if (pid == 0)
    {
      dup2 (fds[1], 1);
      execl (runtime, runtime, "--version", (char *) NULL);
      _exit (127);
    }
  close (fds[1]);
  n = pid > 0 ? read (fds[0], buf, len - 1) : -1;
  close (fds[0]);
  if (pid > 0)
    while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
      ;
  buf[n > 0 ? n : 0] = '\0';
  buf[strcspn (buf, "\n")] = '\0';
}
