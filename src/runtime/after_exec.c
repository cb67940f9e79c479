#include "config.h"
#include "runtime/after_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/cleanup.h"

#ifdef HAVE_VALGRIND_VALGRIND_H
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

/* The child parses and writes JSON documents up to JSON_MAX_DEPTH deep;
 * the pages are only touched as used. */
#define CHILD_STACK_SIZE (8u << 20)

struct child_start
{
  void (*fn) (void *);
  void *arg;
  int gate_read, gate_write;
};

static void
wait_for_gate_and_run (const struct child_start *start)
{
  char byte;
  int devnull;

  close (start->gate_write);
  /* EOF once the parent has exec'd (its copy is close-on-exec) or died */
  while (read (start->gate_read, &byte, 1) < 0 && errno == EINTR)
    ;
  devnull = open ("/dev/null", O_RDWR | O_CLOEXEC);
  /* the container's stdio and the engine's fds must not stay open here */
  if (devnull >= 0)
    {
      dup2 (devnull, 0);
      dup2 (devnull, 1);
      dup2 (devnull, 2);
    }
  close_range (3, ~0u, 0);
  /* background work: the CPU only when nothing else wants it */
  {
    struct sched_param idle = { 0 };
    sched_setscheduler (0, SCHED_IDLE, &idle);
  }
  start->fn (start->arg);
  _exit (0);
}

/* AddressSanitizer tracks one stack per thread it knows: under it, fork. */
#if defined(__SANITIZE_ADDRESS__)
#define HR_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HR_SANITIZED 1
#endif
#endif
#ifndef HR_SANITIZED
#define HR_CLONE_VM 1
#endif

#ifdef HR_CLONE_VM
static int
child_entry (void *p)
{
  wait_for_gate_and_run (p);
  return 0;
}
#endif

int
after_exec_start (struct after_exec *job, void (*fn) (void *), void *arg)
{
  int gate[2];
  pid_t pid = -1;
  /* read by the child, maybe only after the exec: on the heap it keeps */
  struct child_start *start;

  *job = (struct after_exec){ 0, -1, NULL };
  if (pipe2 (gate, O_CLOEXEC) < 0)
    {
      /* no process to spare: the work now */
      fn (arg);
      free (arg);
      return -1;
    }
  start = hr_xmalloc (sizeof *start);
  *start = (struct child_start){ fn, arg, gate[0], gate[1] };
#ifdef HR_CLONE_VM
  {
    void *stack = RUNNING_ON_VALGRIND ? MAP_FAILED : mmap (NULL, CHILD_STACK_SIZE, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
    if (stack != MAP_FAILED)
      {
        pid = clone (child_entry, (char *) stack + CHILD_STACK_SIZE, CLONE_VM | SIGCHLD, start);
        if (pid < 0)
          munmap (stack, CHILD_STACK_SIZE);
      }
  }
#endif
  /* where a child sharing this memory is not possible (sanitizers,
     valgrind, clone refused), an ordinary fork: the same gate, the same
     order */
  if (pid < 0)
    {
      pid = fork ();
      if (pid == 0)
        wait_for_gate_and_run (start);
    }
  close (gate[0]);
  if (pid < 0)
    {
      close (gate[1]);
      free (start);
      fn (arg);
      free (arg);
      return -1;
    }
  *job = (struct after_exec){ pid, gate[1], start };
  return 0;
}

void
after_exec_cancel (struct after_exec *job)
{
  if (job->pid <= 0)
    return;
  kill (job->pid, SIGKILL);
  while (waitpid (job->pid, NULL, 0) < 0 && errno == EINTR)
    ;
  close (job->gate_fd);
  free (job->start->arg);
  free (job->start);
  *job = (struct after_exec){ 0, -1, NULL };
}
