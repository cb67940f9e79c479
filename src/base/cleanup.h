/* Scope-bound release of memory and file descriptors. */
#ifndef HARDRUN_CLEANUP_H
#define HARDRUN_CLEANUP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void
hr_freep (void *p)
{
  free (*(void **) p);
}

static inline void
hr_closep (int *fd)
{
  if (*fd >= 0)
    {
      int saved = errno;
      close (*fd);
      errno = saved;
    }
}

static inline void
hr_fclosep (FILE **f)
{
  if (*f != NULL)
    fclose (*f);
}

#define cleanup_free __attribute__ ((cleanup (hr_freep)))
#define cleanup_close __attribute__ ((cleanup (hr_closep)))
#define cleanup_fclose __attribute__ ((cleanup (hr_fclosep)))

/* Hand ownership out of a cleanup-annotated variable. */
#define steal_pointer(pp) \
  ({ __typeof__ (*(pp)) _p = *(pp); *(pp) = NULL; _p; })
#define steal_fd(fdp) \
  ({ int _fd = *(fdp); *(fdp) = -1; _fd; })

/* Allocation failure is not recoverable in a launcher: abort loudly. */
void *hr_xmalloc (size_t n);
void *hr_xcalloc (size_t n, size_t size);
void *hr_xrealloc (void *p, size_t n);
char *hr_xstrdup (const char *s);
char *hr_xstrndup (const char *s, size_t n);
char *hr_xasprintf (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

#endif
