#include "config.h"
#include "cli/refusal.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/clock.h"
#include "host/caller.h"
#include "spec/json.h"

static char *
log_line (const struct runc_argv *args, const char *level, const char *msg)
{
  char now[64];
  struct hr_buf b = { 0 };

  rfc3339_now (now, sizeof now);
  if (args->log_format != NULL && strcmp (args->log_format, "json") == 0)
    {
      /* containerd reads the msg of the last "error" object; time must be RFC 3339 */
      hr_buf_puts (&b, "{\"level\":");
      json_buf_string (&b, level, strlen (level));
      hr_buf_puts (&b, ",\"msg\":");
      json_buf_string (&b, msg, strlen (msg));
      hr_buf_puts (&b, ",\"time\":");
      json_buf_string (&b, now, strlen (now));
      hr_buf_puts (&b, "}\n");
    }
  else
    {
      /* logrus's text format, as runc writes it */
      hr_buf_printf (&b, "time=\"%s\" level=%s msg=", now, level);
      json_buf_string (&b, msg, strlen (msg));
      hr_buf_puts (&b, "\n");
    }
  return b.data;
}

static void
write_all (int fd, const char *s)
{
  size_t len = strlen (s), done = 0;
  while (done < len)
    {
      ssize_t w = write (fd, s + done, len - done);
      if (w <= 0)
        return;
      done += (size_t) w;
    }
}

static void
append_to_log (const struct runc_argv *args, const char *level, const char *msg)
{
  cleanup_close int fd = -1;
  cleanup_free char *line = NULL;

  if (args->log == NULL || args->log[0] == '\0')
    return;
  fd = open (args->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return;
  line = log_line (args, level, msg);
  write_all (fd, line);
}

/* podman shows a runtime's error as "<runtime>: <msg>": under the name
 * hardrun, the message's own "hardrun: " would say it twice. */
static const char *
as_the_caller_shows (const struct runc_argv *args, const char *msg)
{
  const char *self = args->argv0 ? strrchr (args->argv0, '/') : NULL;
  const char *name = self ? self + 1 : args->argv0;

  if (name != NULL && strcmp (name, "hardrun") == 0 && strncmp (msg, "hardrun: ", 9) == 0
      && host_caller_is_podman ())
    return msg + 9;
  return msg;
}

int
refusal_report (const struct runc_argv *args, const char *full_msg)
{
  const char *msg = as_the_caller_shows (args, full_msg);
  cleanup_free char *text = hr_xasprintf ("%s\n", msg);
  append_to_log (args, "error", msg);
  write_all (2, text);
  return 1;
}

void
refusal_warn (const struct runc_argv *args, const char *msg)
{
  append_to_log (args, "warning", msg);
}
