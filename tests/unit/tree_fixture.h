/* Scratch trees for the unit tests that read an image's root: a file or
 * directory made below `top` with the mode asked for. */
#ifndef HARDRUN_TEST_TREE_FIXTURE_H
#define HARDRUN_TEST_TREE_FIXTURE_H

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static inline void
tree_make (const char *top, const char *rel, mode_t mode)
{
  char p[160];
  snprintf (p, sizeof p, "%s/%s", top, rel);
  if (S_ISDIR (mode))
    assert_int_equal (mkdir (p, mode & 0777), 0);
  else
    {
      int fd = open (p, O_CREAT | O_WRONLY, mode & 0777);
      assert_true (fd >= 0);
      close (fd);
      chmod (p, mode & 0777);
    }
}

#endif
