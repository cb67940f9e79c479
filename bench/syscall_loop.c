/* syscall_loop N: N getppid() calls, then the median nanoseconds of one
 * call over 64 batches. Static, run inside a container to measure what a
 * notified syscall costs against one the filter allows. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BATCHES 64

static int
compare (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int argc, char **argv)
{
  long n = argc > 1 ? atol (argv[1]) : 20000, per = n / BATCHES;
  double ns[BATCHES];

  for (int b = 0; b < BATCHES; b++)
    {
      struct timespec t0, t1;
      clock_gettime (CLOCK_MONOTONIC, &t0);
      for (long i = 0; i < per; i++)
        syscall (SYS_getppid);
      clock_gettime (CLOCK_MONOTONIC, &t1);
      ns[b] = ((double) (t1.tv_sec - t0.tv_sec) * 1e9 + (double) (t1.tv_nsec - t0.tv_nsec)) / (double) per;
    }
  qsort (ns, BATCHES, sizeof ns[0], compare);
  printf ("%.0f\n", ns[BATCHES / 2]);
  return 0;
}
