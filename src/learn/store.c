#include "config.h"
#include "learn/store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "host/state_dir.h"
#include "learn/learned.h"
#include "spec/spec.h"

#define SUFFIX ".json"

static int
node_dir (const struct learned_store *st, bool create, struct hr_error *err)
{
  static const char *const sub[] = { "learned" };
  return state_dir_open (st->state_dir, sub, 1, create, err);
}

/* Read and check dirfd/NAME.json: 0, 1 when absent, -1. */
static int
load_at (int dirfd, const char *name, bool follow, struct json **out, struct hr_error *err)
{
  cleanup_free char *file = hr_xasprintf ("%s" SUFFIX, name);
  cleanup_free char *raw = NULL;
  cleanup_close int fd = -1;
  cleanup_json struct json *doc = NULL;
  struct stat st;
  size_t len;

  fd = openat (dirfd, file, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (follow ? 0 : O_NOFOLLOW));
  if (fd < 0 && errno == ENOENT)
    return 1;
  if (fd < 0)
    return hr_error_set (err, errno, "open %s", file);
  if (spec_read_fd (fd, file, &raw, &len, &st, err) < 0 || json_parse (raw, len, 0, &doc, err) < 0
      || learned_check (learned_unwrap (doc), err) < 0)
    return hr_error_wrap (err, "learned profile %s", file);
  if (learned_unwrap (doc) != doc)
    {
      /* an exported profile, as the operator's directory holds them */
      struct json *inner = json_clone (learned_unwrap (doc));
      json_free (doc);
      doc = inner;
    }
  if (strcmp (learned_name (doc), name) != 0)
    return hr_error_set (err, 0, "learned profile %s names itself %s", file, learned_name (doc));
  *out = steal_pointer (&doc);
  return 0;
}

int
learned_store_load (const struct learned_store *st, const char *name, struct json **out,
                    enum learned_origin *origin, struct hr_error *err)
{
  cleanup_close int dirfd = -1;
  int r = 1;

  *out = NULL;
  if (st->operator_dir != NULL && (dirfd = open (st->operator_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
    {
      /* a ConfigMap's files are symlinks into its ..data: followed here */
      r = load_at (dirfd, name, true, out, err);
      *origin = LEARNED_FROM_OPERATOR;
      if (r <= 0)
        return r;
      close (steal_fd (&dirfd));
    }
  dirfd = node_dir (st, false, err);
  if (dirfd < 0)
    return errno == ENOENT ? 1 : -1;
  *origin = LEARNED_FROM_NODE;
  return load_at (dirfd, name, false, out, err);
}

static int
write_doc (int dirfd, struct json *doc, struct hr_error *err)
{
  cleanup_free char *text = NULL;
  cleanup_free char *file = hr_xasprintf ("%s" SUFFIX, learned_name (doc));
  size_t len;

  learned_sort (doc);
  if (json_write (doc, JSON_WRITE_PRETTY, &text, &len, err) < 0)
    return -1;
  return spec_write_atomic (dirfd, file, text, len, 0600, 0, 0, err);
}

/* The node's profiles change under one lock, on the directory itself:
 * recorders of replicas merge into the same file. */
static int
lock_node_dir (const struct learned_store *st, struct hr_error *err)
{
  int dirfd = node_dir (st, true, err);

  if (dirfd >= 0 && flock (dirfd, LOCK_EX) < 0)
    {
      hr_error_set (err, errno, "lock %s/learned", st->state_dir);
      close (dirfd);
      return -1;
    }
  return dirfd;
}

int
learned_store_merge (const struct learned_store *st, const char *name, const struct json *key,
                     const struct json *delta, bool end_run, int64_t promote_after,
                     bool *run_saw_new, struct hr_error *err)
{
  cleanup_close int dirfd = lock_node_dir (st, err);
  cleanup_json struct json *doc = NULL;
  int r;

  if (dirfd < 0)
    return -1;
  r = load_at (dirfd, name, false, &doc, err);
  if (r < 0)
    return -1;
  if (r == 0 && learned_promoted (doc))
    return 0; /* promoted is frozen: a recorder started before cannot widen it */
  if (r == 1)
    doc = learned_new (name, key);
  *run_saw_new |= learned_merge (doc, delta) || r == 1;
  if (end_run)
    learned_end_run (doc, *run_saw_new, promote_after);
  return write_doc (dirfd, doc, err);
}

int
learned_store_change (const struct learned_store *st, const char *name, learned_change_fn change, void *arg,
                      struct hr_error *err)
{
  cleanup_close int dirfd = lock_node_dir (st, err);
  cleanup_json struct json *doc = NULL;

  if (dirfd < 0 || load_at (dirfd, name, false, &doc, err) < 0 || change (&doc, arg, err) < 0)
    return -1;
  if (learned_check (doc, err) < 0)
    return -1;
  if (strcmp (learned_name (doc), name) != 0)
    return hr_error_set (err, 0, "a change of %s names it %s", name, learned_name (doc));
  return write_doc (dirfd, doc, err);
}

int
learned_store_put (const struct learned_store *st, const struct json *doc, struct hr_error *err)
{
  cleanup_close int dirfd = -1;
  cleanup_json struct json *copy = NULL;

  if (learned_check (doc, err) < 0)
    return -1;
  dirfd = lock_node_dir (st, err);
  if (dirfd < 0)
    return -1;
  copy = json_clone (doc);
  return write_doc (dirfd, copy, err);
}

static void
add_names (int dirfd, char ***names, size_t *n)
{
  DIR *d = fdopendir (dirfd);
  struct dirent *e;

  if (d == NULL)
    {
      close (dirfd);
      return;
    }
  while ((e = readdir (d)) != NULL)
    {
      size_t len = strlen (e->d_name);
      if (e->d_name[0] == '.' || len <= strlen (SUFFIX) || strcmp (e->d_name + len - strlen (SUFFIX), SUFFIX) != 0)
        continue;
      *names = hr_xrealloc (*names, (*n + 1) * sizeof **names);
      (*names)[(*n)++] = hr_xstrndup (e->d_name, len - strlen (SUFFIX));
    }
  closedir (d);
}

static int
compare_names (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

int
learned_store_names (const struct learned_store *st, char ***names, size_t *n, struct hr_error *err)
{
  int fd;
  size_t kept = 0;

  *names = NULL;
  *n = 0;
  if (st->operator_dir != NULL && (fd = open (st->operator_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
    add_names (fd, names, n);
  fd = node_dir (st, false, err);
  if (fd < 0 && errno != ENOENT)
    return -1;
  if (fd >= 0)
    add_names (fd, names, n);
  qsort (*names, *n, sizeof **names, compare_names);
  for (size_t i = 0; i < *n; i++)
    {
      if (kept > 0 && strcmp ((*names)[kept - 1], (*names)[i]) == 0)
        free ((*names)[i]);
      else
        (*names)[kept++] = (*names)[i];
    }
  *n = kept;
  return 0;
}
