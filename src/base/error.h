/* One error idiom for all of hardrun: a function that can fail takes a
 * struct hr_error * as its last argument, fills it and returns -1. */
#ifndef HARDRUN_ERROR_H
#define HARDRUN_ERROR_H

#include <stddef.h>

#define HR_ERROR_MSG_MAX 1024

struct hr_error
{
  int code;                    /* errno value, or 0 for a semantic error */
  char msg[HR_ERROR_MSG_MAX];
};

/* Always returns -1 so callers can write `return hr_error_set (...)`. */
int hr_error_set (struct hr_error *err, int code, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/* Prefix an existing message with more context ("reading X: <old msg>"). */
int hr_error_wrap (struct hr_error *err, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

#endif
