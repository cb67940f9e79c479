/* The two clocks hardrun reads: monotonic time for its own cost, and UTC
 * wall time for its log lines. */
#ifndef HARDRUN_CLOCK_H
#define HARDRUN_CLOCK_H

#include <stddef.h>
#include <stdint.h>

struct timespec;

uint64_t monotonic_us (void);

/* "2026-11-22T12:34:56.123456Z" */
void rfc3339_now (char *buf, size_t len);
void rfc3339_at (const struct timespec *ts, char *buf, size_t len);

#endif
