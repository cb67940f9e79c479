/* Shared helpers for the unit tests. */
#ifndef HARDRUN_TEST_HELPERS_H
#define HARDRUN_TEST_HELPERS_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static inline char *
read_fixture (const char *dir, const char *name, size_t *len)
{
  char path[4096];
  FILE *f;
  long n;
  char *buf;

  snprintf (path, sizeof path, "%s/%s", dir, name);
  f = fopen (path, "rb");
  if (f == NULL)
    return NULL;
  fseek (f, 0, SEEK_END);
  n = ftell (f);
  fseek (f, 0, SEEK_SET);
  buf = malloc ((size_t) n + 1);
  if (fread (buf, 1, (size_t) n, f) != (size_t) n)
    n = 0;
  buf[n] = '\0';
  fclose (f);
  *len = (size_t) n;
  return buf;
}

#endif
