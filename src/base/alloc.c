#include "config.h"
#include "base/cleanup.h"

#include <stdarg.h>
#include <string.h>

static void __attribute__ ((noreturn))
oom (void)
{
  static const char msg[] = "hardrun: out of memory\n";
  ssize_t r = write (2, msg, sizeof msg - 1);
  (void) r;
  abort ();
}

void *
hr_xmalloc (size_t n)
{
  void *p = malloc (n ? n : 1);
  if (p == NULL)
    oom ();
  return p;
}

void *
hr_xcalloc (size_t n, size_t size)
{
  void *p = calloc (n ? n : 1, size ? size : 1);
  if (p == NULL)
    oom ();
  return p;
}

void *
hr_xrealloc (void *p, size_t n)
{
  p = realloc (p, n ? n : 1);
  if (p == NULL)
    oom ();
  return p;
}

char *
hr_xstrdup (const char *s)
{
  char *p = strdup (s);
  if (p == NULL)
    oom ();
  return p;
}

char *
hr_xstrndup (const char *s, size_t n)
{
  char *p = hr_xmalloc (n + 1);
  memcpy (p, s, n);
  p[n] = '\0';
  return p;
}

char *
hr_xasprintf (const char *fmt, ...)
{
  va_list ap;
  char *p = NULL;
  int r;

  va_start (ap, fmt);
  r = vasprintf (&p, fmt, ap);
  va_end (ap);
  if (r < 0)
    oom ();
  return p;
}
