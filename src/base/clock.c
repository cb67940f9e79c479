#include "config.h"
#include "base/clock.h"

#include <stdio.h>
#include <time.h>

uint64_t
monotonic_us (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
}

void
rfc3339_now (char *buf, size_t len)
{
  struct timespec ts;

  clock_gettime (CLOCK_REALTIME, &ts);
  rfc3339_at (&ts, buf, len);
}

/* UTC, formatted by hand: strftime would read the time zone (/etc/localtime)
 * on every call. */
void
rfc3339_at (const struct timespec *ts, char *buf, size_t len)
{
  struct tm tm;

  gmtime_r (&ts->tv_sec, &tm);
  snprintf (buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
            tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts->tv_nsec / 1000);
}
