#include "config.h"
#include "runtime/runc_state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "host/state_dir.h"
#include "spec/json.h"
#include "spec/spec.h"

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

/* "DEV INO SIZE CTIME_S CTIME_NS" of the binary, or "" when it cannot be stat'd. */
static void
binary_identity (const char *runtime, char *buf, size_t len)
{
  struct stat st;

  buf[0] = '\0';
  if (stat (runtime, &st) == 0)
    snprintf (buf, len, "%llu %llu %lld %lld %ld", (unsigned long long) st.st_dev, (unsigned long long) st.st_ino,
              (long long) st.st_size, (long long) st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
}

void
runc_version_cached (const char *runtime, const char *state_dir, char *buf, size_t len)
{
  cleanup_close int dirfd = state_dir_open (state_dir, NULL, 0, false, &(struct hr_error){ 0 });
  char id[128], cached[512];
  cleanup_free char *text = NULL;
  struct hr_error err;
  ssize_t n = -1;

  binary_identity (runtime, id, sizeof id);
  if (dirfd >= 0 && id[0] != '\0')
    {
      cleanup_close int fd = openat (dirfd, "runtime-version", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
      n = fd >= 0 ? read (fd, cached, sizeof cached - 1) : -1;
    }
  if (n > 0)
    {
      char *nl;
      cached[n] = '\0';
      nl = strchr (cached, '\n');
      if (nl != NULL && (size_t) (nl - cached) == strlen (id) && strncmp (cached, id, strlen (id)) == 0)
        {
          snprintf (buf, len, "%.*s", (int) strcspn (nl + 1, "\n"), nl + 1);
          return;
        }
    }
  runc_version_line (runtime, buf, len);
  if (dirfd < 0 || id[0] == '\0' || buf[0] == '\0')
    return;
  text = hr_xasprintf ("%s\n%s\n", id, buf);
  spec_write_atomic (dirfd, "runtime-version", text, strlen (text), 0600, 0, 0, &err);
}
