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
#define RUNC_STATE_MAX (16u << 20) /* the state runc sends: the config's annotations fit */

struct agent
{
  const struct agent_job *job;
  struct pollfd fds[AGENT_MAX_FDS];
  size_t n_fds;
  bool connected; /* a filter arrived once */
  bool saw_exec;  /* the workload was exec'd: only then is this a run */
  bool told_full; /* a table filled up: said once */
  bool told_flush;
  bool run_saw_new;
  struct seccomp_notif *req;
  struct seccomp_notif_resp *resp;
  struct sightings seen;
  time_t started, flushed;
  pid_t flusher;  /* the child storing a flush, or 0 */
  dev_t sock_dev; /* the socket this agent bound: removed at the end only */
  ino_t sock_ino; /* if no later agent has taken its place */
};

static volatile sig_atomic_t agent_stop;

static void
on_term (int sig)
{
  (void) sig;
  agent_stop = 1;
}

/* The head of the agent's decision-log lines: time, command, container,
 * learned profile. */
static struct json *
line_head (const struct agent *a, const char *command)
{
  struct json *o = json_new_object ();
  char now[64];

  rfc3339_now (now, sizeof now);
  json_object_append (o, "time", json_new_string (now));
  json_object_append (o, "command", json_new_string (command));
  json_object_append (o, "container_id", json_new_string (a->job->container_id));
  json_object_append (o, "learned_profile", json_new_string (a->job->name));
  return o;
}

static void
append_line (const struct agent *a, const struct json *o)
{
  cleanup_free char *line = NULL;
  struct hr_error err;

  if (json_write (o, 0, &line, NULL, &err) == 0)
    decision_log_append (a->job->decision_log, line, a->job->syslog, &err);
}

/* A line in the decision log about the agent itself: what it could not do. */
static void
log_event (struct agent *a, const char *event)
{
  cleanup_json struct json *o = line_head (a, "learning");

  json_object_append (o, "error", json_new_string (event));
  append_line (a, o);
}

/* Whether runc's message is about container id: 1, 0, or -1 while it is
 * not whole yet. */
static int
payload_is_for (const char *buf, size_t len, const char *id)
{
  cleanup_json struct json *v = NULL;
  struct hr_error err;
  const char *got;

  if (json_parse (buf, len, 0, &v, &err) < 0)
    return -1;
  got = json_string (json_object_get (json_object_get (v, "state"), "id"));
  return got != NULL && strcmp (got, id) == 0;
}

/* The fds of a message's SCM_RIGHTS: the first kept in *fd (when keep),
 * the rest closed. */
static void
take_fds (struct msghdr *msg, bool keep, int *fd)
{
  for (struct cmsghdr *c = CMSG_FIRSTHDR (msg); c != NULL; c = CMSG_NXTHDR (msg, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
      for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN (0)) / sizeof (int); i++)
        {
          int got;
          memcpy (&got, CMSG_DATA (c) + i * sizeof (int), sizeof got);
          if (keep && *fd < 0)
            *fd = got;
          else
            close (got);
        }
}

/* The notify fd a connection carries (runc sends the container's state,
 * annotations and all, with the fd, then closes), or -1. Only root may hand
 * the agent a filter, and only for its own container. */
static int
receive_notify_fd (int conn, const char *container_id)
{
  char chunk[65536], cbuf[CMSG_SPACE (8 * sizeof (int))];
  struct iovec iov = { chunk, sizeof chunk };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
  struct timeval patience = { .tv_sec = 5 };
  struct ucred cred;
  socklen_t cl = sizeof cred;
  struct hr_buf state = { 0 };
  ssize_t n;
  int fd = -1, ours;

  if (getsockopt (conn, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0 || cred.uid != 0
      || setsockopt (conn, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience) < 0)
    return -1;
  n = recvmsg (conn, &msg, MSG_CMSG_CLOEXEC);
  if (n <= 0)
    return -1;
  take_fds (&msg, true, &fd);
  hr_buf_append (&state, chunk, (size_t) n);
  /* runc keeps the connection open: read until the state is whole */
  while ((ours = payload_is_for (state.data, state.len, container_id)) < 0 && state.len < RUNC_STATE_MAX
         && (n = read (conn, chunk, sizeof chunk)) > 0)
    hr_buf_append (&state, chunk, (size_t) n);
  if (fd >= 0 && ours != 1)
    {
      close (fd);
      fd = -1;
    }
  free (state.data);
  return fd;
}

/* A seccomp notify fd, not any fd a peer could pass (which would keep the
 * poll loop busy for ever). */
static bool
is_notify_fd (int fd)
{
  char link[64], target[64];
  ssize_t n;

  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  n = readlink (link, target, sizeof target - 1);
  if (n <= 0)
    return false;
  target[n] = '\0';
  return strcmp (target, "anon_inode:seccomp notify") == 0;
}

static void
accept_filter (struct agent *a)
{
  int conn = accept4 (a->fds[0].fd, NULL, NULL, SOCK_CLOEXEC);
  int fd = conn >= 0 ? receive_notify_fd (conn, a->job->container_id) : -1;

  if (conn >= 0)
    close (conn);
  if (fd < 0)
    return;
  if (!is_notify_fd (fd))
    {
      close (fd);
      return;
    }
  if (a->n_fds == AGENT_MAX_FDS)
    {
      close (fd); /* its syscalls get ENOSYS: never more than the table holds */
      if (!a->told_full)
        log_event (a, "more processes with filters than the agent holds: their notified syscalls fail");
      a->told_full = true;
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
  const struct syscall_paths *p = slot->paths;
  const __u64 *arg = req->data.args;
  char path[4096], abs[8192];

  if (p != NULL && p->section == LEARNED_EXECS)
    a->saw_exec = true;
  if (p == NULL || (p->flags_arg >= 0 && (arg[p->flags_arg] & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) == 0))
    return; /* none, or opened read only */
  for (int i = 0; i < 2 && p->path_arg[i] >= 0; i++)
    {
      int dirfd = p->dirfd_arg[i] >= 0 ? (int) arg[p->dirfd_arg[i]] : AT_FDCWD;
      if (target_read_string ((pid_t) req->pid, arg[p->path_arg[i]], path, sizeof path) < 0
          || target_resolve ((pid_t) req->pid, dirfd, path, abs, sizeof abs) < 0
          || seccomp_notify_id_valid (fd, req->id) != 0)
        return;
      sightings_path (&a->seen, p->section, abs, now);
    }
}

/* One line per denial in the decision log, the first few per syscall. */
static void
log_denial (struct agent *a, const struct syscall_slot *slot, const struct seccomp_notif *req)
{
  cleanup_json struct json *o = NULL;

  if (slot->count > DENIALS_LOGGED_PER_NAME)
    return;
  o = line_head (a, "seccomp");
  json_object_append (o, "decision", json_new_string ("deny"));
  json_object_append (o, "syscall", slot->name ? json_new_string (slot->name) : json_new_uint (req->data.nr));
  json_object_append (o, "pid", json_new_uint (req->pid));
  json_object_append (o, "errno", json_new_string ("ENOSYS"));
  json_object_append (o, "reason", json_new_string ("not in the workload's learned profile"));
  append_line (a, o);
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
  if (slot == NULL && !a->told_full)
    {
      a->told_full = true;
      log_event (a, "more distinct syscalls than the agent's table holds: the rest go unrecorded");
    }
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

/* Merge what was seen since the last flush into the store; false when it
 * could not be stored (said once in the log). */
static bool
store_sightings (struct agent *a, bool end_run, bool *saw_new)
{
  cleanup_json struct json *delta = sightings_take (&a->seen, a->job->name, a->job->key);
  struct learned_store st = { a->job->state_dir, NULL };
  struct hr_error err;

  if (learned_store_merge (&st, a->job->name, a->job->key, delta, end_run, a->job->promote_after, saw_new, &err)
      == 0)
    return true;
  if (!a->told_flush)
    {
      cleanup_free char *what = hr_xasprintf ("the record could not be stored: %s", err.msg);
      log_event (a, what);
    }
  return false;
}

#define FLUSH_SAW_NEW 1
#define FLUSH_FAILED 2

/* The flushes while the container runs are made by a child, a copy of the
 * agent, so the container's notified syscalls never wait on the store's
 * lock or its file; one at a time. */
static void
flush_behind (struct agent *a)
{
  pid_t pid;

  a->flushed = time (NULL);
  if (a->flusher > 0 || !a->seen.dirty || a->job->mode != LEARNING_RECORD)
    return;
  pid = fork ();
  if (pid == 0)
    {
      bool saw_new = false, stored;
      /* no filter may wait on this copy: only the agent answers */
      close_range (3, ~0u, 0);
      stored = store_sightings (a, false, &saw_new);
      _exit ((saw_new ? FLUSH_SAW_NEW : 0) | (stored ? 0 : FLUSH_FAILED));
    }
  if (pid < 0)
    {
      a->told_flush |= !store_sightings (a, false, &a->run_saw_new);
      return;
    }
  /* the child has them now */
  sightings_take_nothing (&a->seen);
  a->flusher = pid;
}

static void
reap_flusher (struct agent *a, bool wait)
{
  int status;

  if (a->flusher <= 0 || waitpid (a->flusher, &status, wait ? 0 : WNOHANG) != a->flusher)
    return;
  a->flusher = 0;
  if (WIFEXITED (status) && (WEXITSTATUS (status) & FLUSH_SAW_NEW))
    a->run_saw_new = true;
  if (!WIFEXITED (status) || (WEXITSTATUS (status) & FLUSH_FAILED))
    a->told_flush = true;
}

/* The last flush, in the agent itself, once the container is gone. */
static void
flush_last (struct agent *a, bool end_run)
{
  reap_flusher (a, true);
  if (a->job->mode == LEARNING_RECORD && (a->seen.dirty || end_run))
    a->told_flush |= !store_sightings (a, end_run, &a->run_saw_new);
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
      reap_flusher (a, false);
      if (time (NULL) - a->flushed >= FLUSH_EVERY_S)
        flush_behind (a);
    }
  /* a container that never ran its workload (created, then deleted) is
     no run: it must not count towards promotion */
  flush_last (a, a->connected && a->saw_exec);
}

static void
agent_release (struct agent *a)
{
  seccomp_notify_free (a->req, a->resp);
  sightings_release (&a->seen);
  free (a);
}

static void
unlink_own_socket (const struct agent *a)
{
  struct stat st;

  if (lstat (a->job->socket_path, &st) == 0 && st.st_dev == a->sock_dev && st.st_ino == a->sock_ino)
    unlink (a->job->socket_path);
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
  unlink_own_socket (a);
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
  struct stat st;

  if (dirfd < 0)
    return hr_error_wrap (err, "the seccomp agent");
  /* a second create of a live container's id must not take its agent */
  if (agent_listening (job->socket_path) == AGENT_LISTENING)
    return hr_error_set (err, EEXIST, "a seccomp agent already serves a container %s", job->container_id);
  if ((listen_fd = listen_at (job->socket_path, err)) < 0 || lstat (job->socket_path, &st) < 0)
    return hr_error_wrap (err, "the seccomp agent");
  /* what the agent needs of the kernel, asked before the container
     depends on it */
  a = hr_xcalloc (1, sizeof *a);
  a->job = job;
  a->sock_dev = st.st_dev;
  a->sock_ino = st.st_ino;
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
