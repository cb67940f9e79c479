/* What the recorder reads of a notified syscall: strings from the target's
 * memory, paths resolved as the target resolves them. */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "agent/sightings.h"
#include "agent/target.h"

static void
test_read_string (void **state)
{
  static const char text[] = "/etc/hostname";
  char buf[64];
  /* a string that ends exactly at a page's end, the next page unmapped */
  char *pages = mmap (NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *edge;

  assert_int_equal (target_read_string (getpid (), (uint64_t) (uintptr_t) text, buf, sizeof buf), 0);
  assert_string_equal (buf, text);
  assert_int_equal (munmap (pages + 4096, 4096), 0);
  edge = pages + 4096 - 4;
  memcpy (edge, "abc", 4);
  assert_int_equal (target_read_string (getpid (), (uint64_t) (uintptr_t) edge, buf, sizeof buf), 0);
  assert_string_equal (buf, "abc");
  /* unterminated before the hole: refused, not read past */
  memset (pages, 'x', 4096);
  assert_int_equal (target_read_string (getpid (), (uint64_t) (uintptr_t) pages, buf, sizeof buf), -1);
  assert_int_equal (target_read_string (getpid (), (uint64_t) (uintptr_t) (pages + 4000), buf, sizeof buf), -1);
  munmap (pages, 4096);
}

static void
test_resolve (void **state)
{
  char out[4096], cwd[4096];
  int dirfd = open ("/usr", O_RDONLY | O_DIRECTORY);

  assert_int_equal (target_resolve (getpid (), AT_FDCWD, "/a/./b/../c//", out, sizeof out), 0);
  assert_string_equal (out, "/a/c");
  assert_non_null (getcwd (cwd, sizeof cwd));
  assert_int_equal (target_resolve (getpid (), AT_FDCWD, "x", out, sizeof out), 0);
  assert_int_equal (strncmp (out, cwd, strlen (cwd)), 0);
  assert_int_equal (target_resolve (getpid (), dirfd, "../etc/passwd", out, sizeof out), 0);
  assert_string_equal (out, "/etc/passwd");
  assert_int_equal (target_resolve (getpid (), 9999, "x", out, sizeof out), -1);
  /* the links busybox execs itself through, as the file they name */
  {
    char self[4096];
    ssize_t n = readlink ("/proc/self/exe", self, sizeof self - 1);
    assert_true (n > 0);
    self[n] = '\0';
    assert_int_equal (target_resolve (getpid (), AT_FDCWD, "/proc/self/exe", out, sizeof out), 0);
    assert_string_equal (out, self);
    assert_int_equal (target_resolve (getpid (), AT_FDCWD, "/proc/self/status", out, sizeof out), 0);
    assert_string_equal (out, "/proc/self/status");
  }
  close (dirfd);
}

static void
test_sightings (void **state)
{
  struct sightings *s = calloc (1, sizeof *s);
  struct syscall_slot *slot = sightings_slot (s, 0xc000003e, 2); /* x86_64 open */
  struct json *doc;

  assert_non_null (slot);
  assert_string_equal (slot->name, "open");
  assert_non_null (slot->paths);
  assert_int_equal (slot->paths->flags_arg, 1); /* a write only when its flags say so */
  assert_int_equal (slot->paths->path_arg[0], 0);
  /* renameat writes where it takes from and where it puts */
  {
    struct syscall_slot *r = sightings_slot (s, 0xc000003e, 264);
    assert_string_equal (r->name, "renameat");
    assert_int_equal (r->paths->path_arg[0], 1);
    assert_int_equal (r->paths->path_arg[1], 3);
    assert_int_equal (r->paths->dirfd_arg[1], 2);
    assert_null (sightings_slot (s, 0xc000003e, 39)->paths); /* getpid */
  }
  assert_ptr_equal (sightings_slot (s, 0xc000003e, 2), slot);
  slot->count = 3;
  slot->first = slot->last = 1;
  sightings_path (s, LEARNED_EXECS, "/bin/sh", 1);
  doc = sightings_take (s, "job", NULL);
  assert_true (learned_has (doc, LEARNED_SYSCALLS, "open"));
  assert_true (learned_has (doc, LEARNED_EXECS, "/bin/sh"));
  json_free (doc);
  /* taken once: the next flush holds only what came after */
  doc = sightings_take (s, "job", NULL);
  assert_int_equal (learned_count (doc, LEARNED_SYSCALLS), 0);
  assert_int_equal (learned_count (doc, LEARNED_EXECS), 0);
  json_free (doc);
  sightings_release (s);
  free (s);
}

/* A link to a file the target's root cannot reach (runc's exec fifo,
 * opened before pivot_root) stays the link: the kernel would name it by its
 * path on the host, which differs from one container to the next. */
static void
test_link_outside_root (void **state)
{
  char dir[] = "/tmp/hardrun-target.XXXXXX", outside[64], root[64], link[32], out[4096];
  int ready[2], fd, r;
  pid_t child;
  char c;

  (void) state;
  assert_non_null (mkdtemp (dir));
  snprintf (outside, sizeof outside, "%s/outside", dir);
  snprintf (root, sizeof root, "%s/root", dir);
  assert_int_equal (mkdir (root, 0755), 0);
  fd = open (outside, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  assert_true (fd >= 0);
  assert_int_equal (pipe (ready), 0);
  child = fork ();
  assert_true (child >= 0);
  if (child == 0)
    {
      /* root may chroot; anyone else in a user namespace of its own */
      if ((geteuid () != 0 && unshare (CLONE_NEWUSER) < 0) || chroot (root) < 0)
        _exit (1);
      if (write (ready[1], "r", 1) != 1)
        _exit (1);
      pause ();
      _exit (0);
    }
  close (ready[1]);
  assert_int_equal (read (ready[0], &c, 1), 1);
  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  r = target_resolve (child, AT_FDCWD, link, out, sizeof out);
  kill (child, SIGKILL);
  waitpid (child, NULL, 0);
  assert_int_equal (r, 0);
  assert_string_equal (out, link);
  close (ready[0]);
  close (fd);
  unlink (outside);
  rmdir (root);
  rmdir (dir);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_read_string),
    cmocka_unit_test (test_resolve),
    cmocka_unit_test (test_link_outside_root),
    cmocka_unit_test (test_sightings),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
