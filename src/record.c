#include "config.h"
#include "record.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "paths.h"
#include "sha256.h"
#include "spec.h"

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

char *
record_dir (const struct record_key *k)
{
  char digest[SHA256_HEX_LEN + 1];

  if (!valid_id (k->id))
    return NULL;
  sha256_hex (k->root, strlen (k->root), digest);
  digest[12] = '\0';
  return hr_xasprintf ("%s/records/%s/%s", k->state_dir, digest, k->id);
}

int
record_write (const struct record_key *k, const char *name, const char *data, size_t len,
              struct hr_error *err)
{
  cleanup_free char *dir = record_dir (k);
  cleanup_close int dfd = -1;

  if (dir == NULL)
    return hr_error_set (err, 0, "container id \"%s\" cannot name a record", k->id ? k->id : "");
  /* directory creation is slow on disk: only when it is missing */
  dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0 && errno == ENOENT)
    {
      if (path_mkdirs (dir, 0700, err) < 0)
        return -1;
      dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
  if (dfd < 0)
    return hr_error_set (err, errno, "open %s", dir);
  return spec_write_atomic (dfd, name, data, len, 0600, getuid (), getgid (), err);
}

int
record_load (const struct record_key *k, struct json **out, struct hr_error *err)
{
  cleanup_free char *dir = record_dir (k);
  cleanup_free char *path = NULL;
  cleanup_free char *raw = NULL;
  size_t len;
  struct stat st;

  *out = NULL;
  if (dir == NULL)
    return hr_error_set (err, ENOENT, "no record for \"%s\"", k->id ? k->id : "");
  path = hr_xasprintf ("%s/record.json", dir);
  if (spec_read_file (AT_FDCWD, path, &raw, &len, &st, err) < 0)
    return -1;
  if (json_parse (raw, len, 0, out, err) < 0)
    return hr_error_wrap (err, "%s", path);
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
  char *dir;
  int64_t created;
  int64_t deleted; /* 0: alive */
  int64_t bytes;
};

static int64_t
dir_bytes (const char *dir)
{
  DIR *d = opendir (dir);
  struct dirent *de;
  int64_t total = 0;

  while (d != NULL && (de = readdir (d)) != NULL)
    {
      struct stat st;
      cleanup_free char *p = hr_xasprintf ("%s/%s", dir, de->d_name);
      if (de->d_name[0] != '.' && lstat (p, &st) == 0 && S_ISREG (st.st_mode))
        total += st.st_size;
    }
  if (d)
    closedir (d);
  return total;
}

static void
remove_dir (const char *dir)
{
  DIR *d = opendir (dir);
  struct dirent *de;

  while (d != NULL && (de = readdir (d)) != NULL)
    if (strcmp (de->d_name, ".") && strcmp (de->d_name, ".."))
      {
        cleanup_free char *p = hr_xasprintf ("%s/%s", dir, de->d_name);
        unlink (p);
      }
  if (d)
    closedir (d);
  rmdir (dir);
}

/* Every record directory; with details, what pruning needs to know (which
 * reads each record.json). */
static size_t
list_records (const char *state_dir, const char *only_id, bool details, struct entry **out)
{
  cleanup_free char *top = hr_xasprintf ("%s/records", state_dir);
  DIR *roots = opendir (top);
  struct dirent *r;
  size_t n = 0;

  *out = NULL;
  while (roots != NULL && (r = readdir (roots)) != NULL)
    {
      cleanup_free char *root_dir = hr_xasprintf ("%s/%s", top, r->d_name);
      DIR *ids;
      struct dirent *c;
      if (r->d_name[0] == '.' || (ids = opendir (root_dir)) == NULL)
        continue;
      while ((c = readdir (ids)) != NULL)
        {
          char *dir;
          cleanup_free char *raw = NULL;
          cleanup_json struct json *rec = NULL;
          size_t len;
          struct stat st;
          struct hr_error err;
          int64_t v = 0;

          if (c->d_name[0] == '.' || (only_id && strcmp (c->d_name, only_id) != 0))
            continue;
          dir = hr_xasprintf ("%s/%s", root_dir, c->d_name);
          *out = hr_xrealloc (*out, (n + 1) * sizeof **out);
          (*out)[n] = (struct entry){ dir, 0, 0, details ? dir_bytes (dir) : 0 };
          if (details)
          {
            cleanup_free char *p = hr_xasprintf ("%s/record.json", dir);
            if (spec_read_file (AT_FDCWD, p, &raw, &len, &st, &err) == 0
                && json_parse (raw, len, 0, &rec, &err) == 0)
              {
                if (json_number_to_i64 (json_object_get (rec, "created"), &v) == 0)
                  (*out)[n].created = v;
                if (json_number_to_i64 (json_object_get (rec, "deleted"), &v) == 0)
                  (*out)[n].deleted = v;
              }
            else if (stat (dir, &st) == 0)
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
  for (size_t i = 0; i < n; i++)
    free (e[i].dir);
  free (e);
  return (int64_t) n;
}

#define PRUNE_EVERY_SECONDS 600

int
record_prune_if_due (const char *state_dir, const struct record_bounds *b, time_t now,
                     struct hr_error *err)
{
  cleanup_free char *stamp = hr_xasprintf ("%s/records/.pruned", state_dir);
  struct stat st;
  bool due = stat (stamp, &st) < 0 || now - st.st_mtime >= PRUNE_EVERY_SECONDS
             || (b->max_count > 0 && count_records (state_dir) > b->max_count);
  int r;

  if (!due)
    return 0;
  r = record_prune (state_dir, b, now, err);
  if (r >= 0)
    {
      int fd = open (stamp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
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
          remove_dir (e[i].dir);
          count--;
          bytes -= e[i].bytes;
          removed++;
        }
    }
  for (size_t i = 0; i < n; i++)
    free (e[i].dir);
  free (e);
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
    (*dirs)[i] = e[i].dir;
  free (e);
  return 0;
}
