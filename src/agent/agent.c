#include "config.h"
#include "agent/agent.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent/sightings.h"
#include "agent/target.h"
#include "base/cleanup.h"
#include "base/clock.h"
#include "host/state_dir.h"
#include "learn/store.h"
#include "record/decision_log.h"

#define AGENT_MAX_FDS 256      /* the listener and one notify fd per init or exec */
#define FLUSH_EVERY_S 2        /* what a killed recorder loses at most */
#define NO_CONTAINER_GRACE_S 10 /* runc has made its state by then, or failed */
#define DENIALS_LOGGED_PER_NAME 16

struct agent
{
  const struct agent_job *job;
  struct pollfd fds[AGENT_MAX_FDS];
  size_t n_fds;
  bool connected; /* a filter arrived once */
  bool run_saw_new;
  struct seccomp_notif *req;
  struct seccomp_notif_resp *resp;
  struct sightings seen;
  time_t started, flushed;
};

static volatile sig_atomic_t agent_stop;

static void
on_term (int sig)
{
  (void) sig;
  agent_stop = 1;
}

/* The notify fd a connection carries (runc sends the state and the fd in
 * one message), or -1. Only root may hand the agent a filter. */
static int
receive_notify_fd (int conn)
{
  char buf[65536], cbuf[CMSG_SPACE (8 * sizeof (int))];
  struct iovec iov = { buf, sizeof buf };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
  struct ucred cred;
  socklen_t cl = sizeof cred;
  int fd = -1;

  if (getsockopt (conn, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0 || cred.uid != 0)
    return -1;
  if (recvmsg (conn, &msg, MSG_CMSG_CLOEXEC) <= 0)
    return -1;
  for (struct cmsghdr *c = CMSG_FIRSTHDR (&msg); c != NULL; c = CMSG_NXTHDR (&msg, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
      {
        size_t n = (c->cmsg_len - CMSG_LEN (0)) / sizeof (int);
        for (size_t i = 0; i < n; i++)
          {
            int got;
            memcpy (&got, CMSG_DATA (c) + i * sizeof (int), sizeof got);
            if (fd < 0)
              fd = got;
            else
              close (got);
          }
      }
  return fd;
}

static void
accept_filter (struct agent *a)
{
  int conn = accept4 (a->fds[0].fd, NULL, NULL, SOCK_CLOEXEC);
  int fd = conn >= 0 ? receive_notify_fd (conn) : -1;

  if (conn >= 0)
    close (conn);
  if (fd < 0)
    return;
  if (a->n_fds == AGENT_MAX_FDS)
    {
      close (fd); /* its syscalls get ENOSYS: never more than the table holds */
      return;
    }
  a->fds[a->n_fds++] = (struct pollfd){ .fd = fd, .events = POLLIN };
  a->connected = true;
}

/* The paths a recorded syscall creates, writes, removes or execs. */
static void
record_paths (struct agent *a, int fd, const struct syscall_slot *slot, const struct seccomp_notif *req,
              time_t now)
{
  const __u64 *arg = req->data.args;
  bool at = slot->kind == KIND_OPENAT || slot->kind == KIND_PATH1AT || slot->kind == KIND_EXECAT;
  uint64_t flags = slot->kind == KIND_OPEN ? arg[1] : arg[2];
  char path[4096], abs[8192];
  enum learned_section sec = slot->kind == KIND_EXEC || slot->kind == KIND_EXECAT ? LEARNED_EXECS : LEARNED_WRITTEN;

  if (slot->kind == KIND_PLAIN)
    return;
  if ((slot->kind == KIND_OPEN || slot->kind == KIND_OPENAT) && slot->name != NULL && strcmp (slot->name, "creat") != 0
      && (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) == 0)
    return; /* read only */
  if (target_read_string ((pid_t) req->pid, at ? arg[1] : arg[0], path, sizeof path) < 0
      || target_resolve ((pid_t) req->pid, at ? (int) arg[0] : AT_FDCWD, path, abs, sizeof abs) < 0
      || seccomp_notify_id_valid (fd, req->id) == -ENOENT)
    return;
  sightings_path (&a->seen, sec, abs, now);
}

/* One line per denial in the decision log, the first few per syscall. */
static void
log_denial (struct agent *a, const struct syscall_slot *slot, const struct seccomp_notif *req)
{
  cleanup_json struct json *o = json_new_object ();
  cleanup_free char *line = NULL;
  struct hr_error err;
  char now[64];

  if (slot->count > DENIALS_LOGGED_PER_NAME)
    return;
  rfc3339_now (now, sizeof now);
  json_object_append (o, "time", json_new_string (now));
  json_object_append (o, "command", json_new_string ("seccomp"));
  json_object_append (o, "container_id", json_new_string (a->job->container_id));
  json_object_append (o, "learned_profile", json_new_string (a->job->name));
  json_object_append (o, "decision", json_new_string ("deny"));
  json_object_append (o, "syscall", slot->name ? json_new_string (slot->name) : json_new_uint (req->data.nr));
  json_object_append (o, "pid", json_new_uint (req->pid));
  json_object_append (o, "errno", json_new_string ("ENOSYS"));
  json_object_append (o, "reason", json_new_string ("not in the workload's learned profile"));
  if (json_write (o, 0, &line, NULL, &err) == 0)
    decision_log_append (a->job->decision_log, line, a->job->syslog, &err);
}

static void
answer (struct agent *a, int fd)
{
  struct syscall_slot *slot;
  time_t now = time (NULL);

  memset (a->req, 0, sizeof *a->req);
  if (seccomp_notify_receive (fd, a->req) < 0)
    return;
  memset (a->resp, 0, sizeof *a->resp);
  a->resp->id = a->req->id;
  slot = sightings_slot (&a->seen, a->req->data.arch, a->req->data.nr);
  if (slot != NULL)
    {
      if (slot->count == slot->flushed)
        slot->first = now;
      slot->last = now;
      slot->count++;
      a->seen.dirty = true;
    }
  if (a->job->mode == LEARNING_ENFORCE)
    {
      a->resp->error = -ENOSYS;
      if (slot != NULL)
        log_denial (a, slot, a->req);
    }
  else
    {
      a->resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
      if (slot != NULL)
        record_paths (a, fd, slot, a->req, now);
    }
  /* ENOENT: the caller died meanwhile */
  seccomp_notify_respond (fd, a->resp);
}

static void
flush (struct agent *a, bool end_run)
{
  cleanup_json struct json *delta = NULL;
  struct learned_store st = { a->job->state_dir, NULL };
  struct hr_error err;

  a->flushed = time (NULL);
  if (a->job->mode != LEARNING_RECORD || (!a->seen.dirty && !end_run))
    return;
  delta = sightings_take (&a->seen, a->job->name, a->job->key);
  learned_store_merge (&st, a->job->name, a->job->key, delta, end_run, a->job->promote_after,
                       &a->run_saw_new, &err);
}

/* Whether the container can still hand the agent a filter. */
static bool
container_may_come (const struct agent *a)
{
  struct stat st;
  return time (NULL) - a->started < NO_CONTAINER_GRACE_S || stat (a->job->runc_state, &st) == 0;
}

static void
agent_loop (struct agent *a)
{
  while (!agent_stop)
    {
      int n = poll (a->fds, a->n_fds, 1000);
      if (n < 0 && errno != EINTR)
        break;
      if (n > 0 && (a->fds[0].revents & POLLIN))
        accept_filter (a);
      for (size_t i = 1; n > 0 && i < a->n_fds; i++)
        {
          if (a->fds[i].revents & POLLIN)
            answer (a, a->fds[i].fd);
          else if (a->fds[i].revents & (POLLHUP | POLLERR | POLLNVAL))
            {
              /* every process under this filter has gone */
              close (a->fds[i].fd);
              a->fds[i--] = a->fds[--a->n_fds];
            }
        }
      if (a->connected ? a->n_fds == 1 : !container_may_come (a))
        break;
      if (time (NULL) - a->flushed >= FLUSH_EVERY_S)
        flush (a, false);
    }
  flush (a, a->connected);
}

static void
agent_release (struct agent *a)
{
  seccomp_notify_free (a->req, a->resp);
  sightings_release (&a->seen);
  free (a);
}

/* The agent itself, in its own session: only the listening socket open. */
static void
agent_main (struct agent *a, int listen_fd)
{
  struct sigaction term = { .sa_handler = on_term };
  int devnull = open ("/dev/null", O_RDWR | O_CLOEXEC);
  cleanup_close int adj = open ("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

  for (int i = 0; devnull >= 0 && i < 3; i++)
    dup2 (devnull, i);
  if (listen_fd != 3)
    {
      dup2 (listen_fd, 3);
      listen_fd = 3;
    }
  close_range (4, ~0u, 0);
  prctl (PR_SET_NAME, "hardrun-agent");
  signal (SIGPIPE, SIG_IGN);
  signal (SIGHUP, SIG_IGN);
  signal (SIGINT, SIG_IGN);
  sigaction (SIGTERM, &term, NULL);
  /* its death fails the container's notified syscalls: the OOM killer
     should pick anything else */
  if (adj >= 0 && write (adj, "-999", 4) < 0)
    close (steal_fd (&adj));
  a->fds[0] = (struct pollfd){ .fd = listen_fd, .events = POLLIN };
  a->n_fds = 1;
  a->started = a->flushed = time (NULL);
  agent_loop (a);
  unlink (a->job->socket_path);
  agent_release (a);
  _exit (0);
}

static int
listen_at (const char *path, struct hr_error *err)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd;

  if (strlen (path) >= sizeof addr.sun_path)
    return hr_error_set (err, 0, "the agent's socket path %s is too long for a unix socket", path);
  strcpy (addr.sun_path, path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return hr_error_set (err, errno, "socket");
  unlink (path); /* a socket left by an agent that died */
  if (bind (fd, (struct sockaddr *) &addr, sizeof addr) < 0 || chmod (path, 0600) < 0 || listen (fd, 64) < 0)
    {
      hr_error_set (err, errno, "listen on %s", path);
      close (fd);
      return -1;
    }
  return fd;
}

int
agent_start (const struct agent_job *job, pid_t *pid, struct hr_error *err)
{
  static const char *const sub[] = { "agents" };
  cleanup_close int dirfd = state_dir_open (job->state_dir, sub, 1, true, err);
  cleanup_close int listen_fd = -1;
  struct agent *a;
  int pipefd[2], r;
  pid_t child;
  int status;

  if (dirfd < 0 || (listen_fd = listen_at (job->socket_path, err)) < 0)
    return hr_error_wrap (err, "the seccomp agent");
  /* what the agent needs of the kernel, asked before the container
     depends on it */
  a = hr_xcalloc (1, sizeof *a);
  a->job = job;
  if ((r = seccomp_notify_alloc (&a->req, &a->resp)) < 0)
    {
      free (a);
      unlink (job->socket_path);
      return hr_error_set (err, -r, "the seccomp agent: the kernel's notification sizes (seccomp_notify_alloc)");
    }
  if (pipe2 (pipefd, O_CLOEXEC) < 0)
    {
      agent_release (a);
      unlink (job->socket_path);
      return hr_error_set (err, errno, "the seccomp agent: pipe");
    }
  child = fork ();
  if (child == 0)
    {
      /* twice, so the agent belongs to no one who waits for it */
      pid_t agent;
      close (pipefd[0]);
      setsid ();
      agent = fork ();
      if (agent == 0)
        {
          close (pipefd[1]);
          agent_main (a, listen_fd);
        }
      if (write (pipefd[1], &agent, sizeof agent) < 0)
        _exit (1);
      _exit (agent > 0 ? 0 : 1);
    }
  close (pipefd[1]);
  agent_release (a); /* the agent has its own copy */
  *pid = -1;
  if (child > 0 && read (pipefd[0], pid, sizeof *pid) != sizeof *pid)
    *pid = -1;
  close (pipefd[0]);
  while (child > 0 && waitpid (child, &status, 0) < 0 && errno == EINTR)
    ;
  if (child < 0 || *pid <= 0)
    {
      unlink (job->socket_path);
      return hr_error_set (err, errno, "the seccomp agent could not be started");
    }
  return 0;
}

enum agent_state
agent_listening (const char *socket_path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  cleanup_close int fd = -1;
  struct stat st;

  if (lstat (socket_path, &st) < 0 || !S_ISSOCK (st.st_mode) || strlen (socket_path) >= sizeof addr.sun_path)
    return AGENT_NONE;
  strcpy (addr.sun_path, socket_path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return AGENT_LISTENING; /* cannot tell: runc will */
  return connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0 || errno != ECONNREFUSED ? AGENT_LISTENING
                                                                                           : AGENT_GONE;
}
