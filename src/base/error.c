#include "config.h"
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
hr_error_set (struct hr_error *err, int code, const char *fmt, ...)
{
  va_list ap;
  int n;

  if (err == NULL)
    return -1;
  err->code = code;
  va_start (ap, fmt);
  n = vsnprintf (err->msg, sizeof err->msg, fmt, ap);
  va_end (ap);
  if (code != 0 && n >= 0 && (size_t) n < sizeof err->msg)
    snprintf (err->msg + n, sizeof err->msg - (size_t) n, ": %s", strerror (code));
  return -1;
}

int
hr_error_wrap (struct hr_error *err, const char *fmt, ...)
{
  char prefix[HR_ERROR_MSG_MAX];
  char old[HR_ERROR_MSG_MAX];
  va_list ap;

  if (err == NULL)
    return -1;
  va_start (ap, fmt);
  vsnprintf (prefix, sizeof prefix, fmt, ap);
  va_end (ap);
  memcpy (old, err->msg, sizeof old);
  /* Truncation is acceptable here: the message stays NUL-terminated. */
  size_t n = strnlen (prefix, sizeof prefix - 1);
  memcpy (err->msg, prefix, n);
  if (n + 2 < sizeof err->msg)
    {
      memcpy (err->msg + n, ": ", 2);
      n += 2;
      size_t m = strnlen (old, sizeof err->msg - n - 1);
      memcpy (err->msg + n, old, m);
      n += m;
    }
  err->msg[n] = '\0';
  return -1;
}
