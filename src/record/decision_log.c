#include "config.h"
#include "record/decision_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/clock.h"
#include "decide/outcome.h"
#include "host/paths.h"
#include "policy/workload.h"

static void
put_string (struct json *o, const char *key, const char *value)
{
  json_object_append (o, key, value ? json_new_string (value) : json_new_null ());
}

static char *
to_line (struct json *o)
{
  char *line = NULL;
  struct hr_error err;
  if (json_write (o, 0, &line, NULL, &err) < 0)
    line = hr_xstrdup ("{\"error\":\"cannot serialize the decision\"}");
  json_free (o);
  return line;
}

char *
launch_record_json (const struct launch_record *rec)
{
  const struct outcome *out = rec->outcome;
  struct json *o = json_new_object ();
  char now[64];

  rfc3339_now (now, sizeof now);
  put_string (o, "time", now);
  put_string (o, "command", rec->command);
  put_string (o, "id", rec->container_id);
  put_string (o, "bundle", rec->bundle);
  put_string (o, "delegate", rec->delegate);
  put_string (o, "profile", out->have_policy ? out->policy.name : NULL);
  put_string (o, "profile_rule", out->selection.rule);
  json_object_append (o, "profile_requested", json_new_bool (out->selection.requested));
  put_string (o, "policy_sha256", out->have_policy ? out->policy.hash : NULL);
  put_string (o, "mode", rec->mode);
  put_string (o, "decision", rec->verdict);
  if (rec->error)
    put_string (o, "error", rec->error);
  json_object_append (o, "items", decision_items_json (&out->decision));
  put_string (o, "config_sha256_before", out->sha256_before[0] ? out->sha256_before : NULL);
  put_string (o, "config_sha256_after",
              rec->sha256_after_override ? (rec->sha256_after_override[0] ? rec->sha256_after_override : NULL)
                                         : (out->sha256_after[0] ? out->sha256_after : NULL));
  json_object_append (o, "workload", out->spec.root != NULL ? workload_json (&out->workload)
                                                             : json_new_object ());
  json_object_append (o, "hardrun_us", json_new_uint (rec->hardrun_us));
  return to_line (o);
}

/* The log's directory: 0750, so the log's readers need the group too. */
static int
mkdir_parents (const char *path, struct hr_error *err)
{
  cleanup_free char *dir = hr_xstrdup (path);
  char *slash = strrchr (dir, '/');

  if (slash == NULL || slash == dir)
    return 0;
  *slash = '\0';
  return path_mkdirs (dir, 0750, err);
}

/* A launch killed in its write leaves part of a line (a write to a file
 * stops between pages on SIGKILL): cut back to the last whole line, under
 * the lock, so the next line is not glued to it. A tail longer than any
 * line hardrun writes is left, and the next line starts on its own. */
#define TORN_TAIL_MAX (32u << 20)

static int
drop_torn_tail (int fd, bool *newline_first)
{
  struct stat st;
  char chunk[65536];
  off_t end, at;

  *newline_first = false;
  if (fstat (fd, &st) < 0 || st.st_size == 0)
    return 0;
  end = st.st_size;
  if (pread (fd, chunk, 1, end - 1) != 1 || chunk[0] == '\n')
    return 0;
  for (at = end; at > 0 && end - at < (off_t) TORN_TAIL_MAX;)
    {
      size_t want = at < (off_t) sizeof chunk ? (size_t) at : sizeof chunk;
      ssize_t got = pread (fd, chunk, want, at - (off_t) want);
      if (got != (ssize_t) want)
        break;
      at -= (off_t) want;
      for (size_t i = want; i-- > 0;)
        if (chunk[i] == '\n')
          return ftruncate (fd, at + (off_t) i + 1);
      if (at == 0)
        return ftruncate (fd, 0);
    }
  *newline_first = true;
  return 0;
}

int
decision_log_append (const char *path, const char *line, bool to_syslog, struct hr_error *err)
{
  cleanup_close int fd = -1;
  size_t len = strlen (line);
  cleanup_free char *buf = hr_xmalloc (len + 1);
  size_t done = 0;
  bool newline_first;

  memcpy (buf, line, len);
  buf[len] = '\n';
  if (to_syslog)
    {
      openlog ("hardrun", LOG_PID, LOG_DAEMON);
      syslog (LOG_INFO, "%s", line);
      closelog ();
    }
  fd = open (path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0 && errno == ENOENT)
    {
      if (mkdir_parents (path, err) < 0)
        return -1;
      fd = open (path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
    }
  if (fd < 0)
    return hr_error_set (err, errno, "open the decision log %s", path);
  /* One write under the lock: concurrent launches never interleave. */
  if (flock (fd, LOCK_EX) < 0)
    return hr_error_set (err, errno, "lock the decision log %s", path);
  if (drop_torn_tail (fd, &newline_first) < 0)
    return hr_error_set (err, errno, "cut a torn line from the decision log %s", path);
  if (newline_first && write (fd, "\n", 1) != 1)
    return hr_error_set (err, errno, "write the decision log %s", path);
  while (done < len + 1)
    {
      ssize_t w = write (fd, buf + done, len + 1 - done);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        return hr_error_set (err, errno, "write the decision log %s", path);
      done += (size_t) w;
    }
  return 0;
}
