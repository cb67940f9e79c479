/* A seccomp agent for test_seccomp_agent.sh, built by the test (not part
 * of hardrun). It speaks runc's listenerPath protocol: runc connects to the
 * unix socket and sends, in one message, the container's state as JSON and,
 * with SCM_RIGHTS, the seccomp notify fd the payload's "fds" names.
 *
 * usage: seccomp-agent SOCKET LOGDIR
 *
 * Each connection's payload is written to LOGDIR/payload-N.json. mkdir and
 * mkdirat are answered with a fake success (nothing is created); any other
 * notified syscall goes on as the kernel would run it. Each answer is a
 * line of LOGDIR/agent.log. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *logdir;

static void
log_line (const char *fmt, long a, long b)
{
  char path[4096];
  FILE *f;

  snprintf (path, sizeof path, "%s/agent.log", logdir);
  f = fopen (path, "a");
  if (f == NULL)
    return;
  fprintf (f, fmt, a, b);
  fputc ('\n', f);
  fclose (f);
}

/* The payload to a file, and the first fd passed. */
static int
receive (int conn, int n)
{
  char buf[65536], cbuf[CMSG_SPACE (4 * sizeof (int))], path[4096];
  struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf - 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
                        .msg_controllen = sizeof cbuf };
  struct cmsghdr *c;
  ssize_t len = recvmsg (conn, &msg, 0);
  int fd = -1;
  FILE *f;

  if (len <= 0)
    return -1;
  for (c = CMSG_FIRSTHDR (&msg); c != NULL; c = CMSG_NXTHDR (&msg, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && fd < 0)
      memcpy (&fd, CMSG_DATA (c), sizeof fd);
  snprintf (path, sizeof path, "%s/payload-%d.json", logdir, n);
  f = fopen (path, "w");
  if (f != NULL)
    {
      fwrite (buf, 1, (size_t) len, f);
      fclose (f);
    }
  log_line ("connection %ld: notify fd %ld", n, fd);
  return fd;
}

static void
answer (int fd, int n)
{
  struct seccomp_notif req;
  struct seccomp_notif_resp resp;

  for (;;)
    {
      struct pollfd p = { .fd = fd, .events = POLLIN };
      if (poll (&p, 1, -1) < 0 && errno == EINTR)
        continue;
      if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
        return; /* every process under the filter is gone */
      memset (&req, 0, sizeof req);
      if (ioctl (fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
        {
          if (errno == EINTR || errno == ENOENT)
            continue;
          return;
        }
      memset (&resp, 0, sizeof resp);
      resp.id = req.id;
      if (req.data.nr == __NR_mkdir || req.data.nr == __NR_mkdirat)
        log_line ("connection %ld: faked mkdir for pid %ld", n, req.pid);
      else
        {
          resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
          log_line ("connection %ld: continued syscall %ld", n, req.data.nr);
        }
      /* ENOENT: the caller was killed meanwhile */
      ioctl (fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
    }
}

int
main (int argc, char **argv)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int s, n = 0;

  if (argc != 3 || strlen (argv[1]) >= sizeof addr.sun_path)
    {
      fprintf (stderr, "usage: seccomp-agent SOCKET LOGDIR\n");
      return 2;
    }
  logdir = argv[2];
  strcpy (addr.sun_path, argv[1]);
  signal (SIGCHLD, SIG_IGN); /* no zombies from the per-connection children */
  s = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  unlink (argv[1]);
  if (s < 0 || bind (s, (struct sockaddr *) &addr, sizeof addr) < 0 || listen (s, 8) < 0)
    {
      perror ("seccomp-agent");
      return 1;
    }
  for (;;)
    {
      int conn = accept4 (s, NULL, NULL, SOCK_CLOEXEC), fd;
      if (conn < 0)
        {
          if (errno == EINTR)
            continue;
          return 1;
        }
      n++;
      if (fork () == 0)
        {
          close (s);
          fd = receive (conn, n);
          close (conn);
          if (fd >= 0)
            answer (fd, n);
          _exit (0);
        }
      close (conn);
    }
}
