/* Lexical path handling, as Go's path.Clean (runc compares destinations so). */
#ifndef HARDRUN_PATHS_H
#define HARDRUN_PATHS_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/error.h"

/* A newly allocated cleaned copy of an absolute or relative path. */
char *path_clean (const char *path);
/* True when path_clean would return `path` unchanged (an absolute path
 * without empty, "." or ".." components or a trailing "/"): the common
 * case, without an allocation. */
bool path_is_clean (const char *path);
/* True when `path` is `dir` or below it (both cleaned, absolute). */
bool path_is_within (const char *path, const char *dir);

/* mkdir -p: every missing directory of `dir`, with `mode`. */
int path_mkdirs (const char *dir, mode_t mode, struct hr_error *err);

#endif
