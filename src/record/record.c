#include "config.h"
#include "record/record.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "host/paths.h"
#include "host/state_dir.h"
#include "policy/configuration.h"
#include "spec/sha256.h"
#include "spec/spec.h"

static bool
valid_id (const char *id)
{
  if (id == NULL || id[0] == '\0' || id[0] == '.' || strlen (id) > 1024)
    return false;
  for (const char *c = id; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')
          || *c == '_' || *c == '-' || *c == '.' || *c == '+'))
      return false;
  return true;
}

/* The records of one runc root live under the first 12 hex digits of its
   path's digest. */
static void
root_digest (const char *root, char digest[SHA256_HEX_LEN + 1])
{
  sha256_hex (root, strlen (root), digest);
  digest[12] = '\0';
}

char *
record_dir (const struct record_key *k)
{
  char digest[SHA256_HEX_LEN + 1];

  if (!valid_id (k->id))
    return NULL;
  root_digest (k->root, digest);
  return hr_xasprintf ("%s/records/%s/%s", k->state_dir, digest, k->id);
}

/* The record's directory, never through a symlink (state_dir.h). */
static int
record_open_dir (const struct record_key *k, bool create, struct hr_error *err)
{
  char digest[SHA256_HEX_LEN + 1];
  const char *sub[3] = { "records", digest, k->id };

  if (!valid_id (k->id))
    return hr_error_set (err, ENOENT, "container id \"%s\" cannot name a record", k->id ? k->id : "");
  root_digest (k->root, digest);
  return state_dir_open (k->state_dir, sub, 3, create, err);
}

int
record_write (const struct record_key *k, const char *name, const char *data, size_t len,
              struct hr_error *err)
{
  cleanup_close int dfd = record_open_dir (k, true, err);

  if (dfd < 0)
    return -1;
  return spec_write_atomic (dfd, name, data, len, 0600, getuid (), getgid (), err);
}

int
record_load (const struct record_key *k, struct json **out, struct hr_error *err)
{
  cleanup_close int dfd = record_open_dir (k, false, err);
  cleanup_free char *raw = NULL;
  size_t len;
  struct stat st;

  *out = NULL;
  if (dfd < 0)
    return -1;
  if (spec_read_file (dfd, "record.json", &raw, &len, &st, err) < 0)
    return -1;
  if (json_parse (raw, len, 0, out, err) < 0)
    return hr_error_wrap (err, "record of %s: record.json", k->id);
  return 0;
}

unsigned
record_next_exec (const struct record_key *k)
{
  cleanup_free char *dir = record_dir (k);
  struct stat st;
  unsigned n = 1;

  for (; dir != NULL && n < 100000; n++)
    {
      cleanup_free char *p = hr_xasprintf ("%s/exec-%u.decision.json", dir, n);
      if (stat (p, &st) < 0)
        break;
    }
  return n;
}

int
record_mark_deleted (const struct record_key *k, time_t now, struct hr_error *err)
{
  cleanup_json struct json *rec = NULL;
  cleanup_free char *text = NULL;
  size_t len;
  int64_t created = 0;

  if (record_load (k, &rec, err) < 0)
    return -1;
  json_number_to_i64 (json_object_get (rec, "created"), &created);
  json_object_set (rec, "deleted", json_new_uint ((uint64_t) now));
  json_object_set (rec, "lifetime_seconds", json_new_uint ((uint64_t) (now > created ? now - created : 0)));
  if (json_write (rec, 0, &text, &len, err) < 0)
    return -1;
  return record_write (k, "record.json", text, len, err);
}

/* ---------- listing and pruning ---------- */

struct entry
{
  char *dir;  /* for display */
  char *root; /* records/<root>/<id> */
  char *id;
  int64_t created;
  int64_t deleted; /* 0: alive */
  int64_t bytes;
};

/* A directory stream over fd, which it takes (closed on failure). */
static DIR *
dir_stream (int fd)
{
  DIR *d = fd >= 0 ? fdopendir (fd) : NULL;

  if (d == NULL && fd >= 0)
    close (fd);
  return d;
}

/* An open directory, never reached through a symlink. */
static DIR *
open_dir_nofollow (int dirfd, const char *name)
{
  struct hr_error err;
  return dir_stream (state_dir_openat (dirfd, name, false, &err));
}

static int64_t
dir_bytes (int dirfd)
{
  int64_t total = 0;
  DIR *d = dir_stream (dup (dirfd));
  struct dirent *de;

  while (d != NULL && (de = readdir (d)) != NULL)
    {
      struct stat st;
      if (de->d_name[0] != '.' && fstatat (dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0
          && S_ISREG (st.st_mode))
        total += st.st_size;
    }
  if (d)
    closedir (d);
  return total;
}

/* Remove state_dir/records/<root>/<id>: its files, then itself, each
   relative to a directory opened without following symlinks. */
static void
remove_record (const char *state_dir, const char *root, const char *id)
{
  const char *sub[2] = { "records", root };
  struct hr_error err;
  cleanup_close int parent = state_dir_open (state_dir, sub, 2, false, &err);
  DIR *d = parent >= 0 ? open_dir_nofollow (parent, id) : NULL;
  struct dirent *de;

  if (d == NULL)
    return;
  while ((de = readdir (d)) != NULL)
    if (strcmp (de->d_name, ".") && strcmp (de->d_name, ".."))
      unlinkat (dirfd (d), de->d_name, 0);
  closedir (d);
  unlinkat (parent, id, AT_REMOVEDIR);
}

/* Every record directory; with details, what pruning needs to know (which
 * reads each record.json). Nothing is followed through a symlink. */
static size_t
list_records (const char *state_dir, const char *only_id, bool details, struct entry **out)
{
  const char *sub[1] = { "records" };
  struct hr_error err;
  cleanup_close int top = state_dir_open (state_dir, sub, 1, false, &err);
  DIR *roots = top >= 0 ? dir_stream (dup (top)) : NULL;
  struct dirent *r;
  size_t n = 0;

  *out = NULL;
  while (roots != NULL && (r = readdir (roots)) != NULL)
    {
      DIR *ids;
      struct dirent *c;
      if (r->d_name[0] == '.' || (ids = open_dir_nofollow (top, r->d_name)) == NULL)
        continue;
      while ((c = readdir (ids)) != NULL)
        {
          cleanup_free char *raw = NULL;
          cleanup_json struct json *rec = NULL;
          cleanup_close int rfd = -1;
          size_t len;
          struct stat st;
          int64_t v = 0;

          if (c->d_name[0] == '.' || (only_id && strcmp (c->d_name, only_id) != 0))
            continue;
          rfd = state_dir_openat (dirfd (ids), c->d_name, false, &err);
          if (rfd < 0)
            continue; /* a symlink or a stray file: not a record */
          *out = hr_xrealloc (*out, (n + 1) * sizeof **out);
          (*out)[n] = (struct entry){ hr_xasprintf ("%s/records/%s/%s", state_dir, r->d_name, c->d_name),
                                      hr_xstrdup (r->d_name), hr_xstrdup (c->d_name), 0, 0,
                                      details ? dir_bytes (rfd) : 0 };
          if (details)
            {
              if (spec_read_file (rfd, "record.json", &raw, &len, &st, &err) == 0
                  && json_parse (raw, len, 0, &rec, &err) == 0)
                {
                  if (json_number_to_i64 (json_object_get (rec, "created"), &v) == 0)
                    (*out)[n].created = v;
                  if (json_number_to_i64 (json_object_get (rec, "deleted"), &v) == 0)
                    (*out)[n].deleted = v;
                }
              else if (fstat (rfd, &st) == 0)
                (*out)[n].created = st.st_mtime;
            }
          n++;
        }
      closedir (ids);
    }
  if (roots)
    closedir (roots);
  return n;
}

static void
entries_free (struct entry *e, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      free (e[i].dir);
      free (e[i].root);
      free (e[i].id);
    }
  free (e);
}

/* Deleted first, then oldest first. */
static int
prune_order (const void *a, const void *b)
{
  const struct entry *x = a, *y = b;
  if ((x->deleted != 0) != (y->deleted != 0))
    return x->deleted != 0 ? -1 : 1;
  return (x->created > y->created) - (x->created < y->created);
}

/* How many records there are, from directory entries alone. */
static int64_t
count_records (const char *state_dir)
{
  struct entry *e = NULL;
  size_t n = list_records (state_dir, NULL, false, &e);
  entries_free (e, n);
  return (int64_t) n;
}

#define PRUNE_EVERY_SECONDS 600

int
record_prune_if_due (const char *state_dir, const struct record_bounds *b, time_t now,
                     struct hr_error *err)
{
  const char *sub[1] = { "records" };
  cleanup_close int top = state_dir_open (state_dir, sub, 1, false, err);
  struct stat st;
  bool due;
  int r;

  if (top < 0)
    return err->code == ENOENT ? 0 : -1; /* no records yet */
  due = fstatat (top, ".pruned", &st, AT_SYMLINK_NOFOLLOW) < 0 || now - st.st_mtime >= PRUNE_EVERY_SECONDS
        || (b->max_count > 0 && count_records (state_dir) > b->max_count);
  if (!due)
    return 0;
  r = record_prune (state_dir, b, now, err);
  if (r >= 0)
    {
      int fd = openat (top, ".pruned", O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd >= 0)
        close (fd);
    }
  return r;
}

int
record_prune (const char *state_dir, const struct record_bounds *b, time_t now,
              struct hr_error *err)
{
  struct entry *e = NULL;
  size_t n = list_records (state_dir, NULL, true, &e);
  int64_t count = (int64_t) n, bytes = 0;
  int removed = 0;

  for (size_t i = 0; i < n; i++)
    bytes += e[i].bytes;
  qsort (e, n, sizeof *e, prune_order);
  for (size_t i = 0; i < n; i++)
    {
      bool too_old = e[i].deleted != 0 && b->max_age_days > 0
                     && now - e[i].deleted > b->max_age_days * 86400;
      bool over = (b->max_count > 0 && count > b->max_count)
                  || (b->max_bytes > 0 && bytes > b->max_bytes);
      if (too_old || over)
        {
          remove_record (state_dir, e[i].root, e[i].id);
          count--;
          bytes -= e[i].bytes;
          removed++;
        }
    }
  entries_free (e, n);
  return removed;
}

int
record_find (const char *state_dir, const char *id, char ***dirs, size_t *n, struct hr_error *err)
{
  struct entry *e = NULL;

  *dirs = NULL;
  *n = valid_id (id) ? list_records (state_dir, id, false, &e) : 0;
  if (*n == 0)
    {
      free (e);
      return hr_error_set (err, ENOENT, "no record of container \"%s\" in %s/records", id, state_dir);
    }
  *dirs = hr_xcalloc (*n, sizeof **dirs);
  for (size_t i = 0; i < *n; i++)
    {
      (*dirs)[i] = e[i].dir;
      free (e[i].root);
      free (e[i].id);
    }
  free (e);
  return 0;
}
