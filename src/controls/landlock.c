/* Least file access with Landlock, which no OCI runtime applies:
 * hardrun-init is bind-mounted read-only at /.hardrun-init and put in front
 * of process.args; inside the container, after pivot_root, it restricts
 * itself to the ruleset its argv carries and execs the workload. Default:
 * read all of the root, execute from the image's system directories, write
 * only where a writable mount is (volumes, scratch, /dev): nothing can be
 * executed from scratch. A profile's landlock lists replace these. */
#include "config.h"

#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "host/paths.h"
#include "policy/policy.h"
#include "spec/spec.h"

static const char *const default_read[] = { "/" };
static const char *const default_exec[] = { "/bin", "/sbin", "/usr", "/lib", "/lib32", "/lib64", "/libx32" };
/* engines' own inits: chained behind hardrun-init, which then does not reap */
static const char *const known_inits[] = { "docker-init", "catatonit", "tini", "tini-static", "dumb-init" };

static void
append_rule (struct json *args, const char *flag, const char *path)
{
  json_array_append (args, json_new_string (flag));
  json_array_append (args, json_new_string (path));
}

static void
append_list (struct json *args, const char *flag, const struct string_list *own, const char *const *deflt,
             size_t n_deflt)
{
  if (own->len > 0)
    for (size_t i = 0; i < own->len; i++)
      append_rule (args, flag, own->items[i]);
  else
    for (size_t i = 0; i < n_deflt; i++)
      append_rule (args, flag, deflt[i]);
}

static bool
mount_writable (const struct json *m)
{
  const char *type = json_string (spec_get (m, "type"));
  const char *dest = json_string (spec_get (m, "destination"));

  if (dest == NULL || dest[0] != '/' || json_array_has_string (spec_get (m, "options"), "ro"))
    return false;
  if (type != NULL && (strcmp (type, "proc") == 0 || strcmp (type, "sysfs") == 0 || strcmp (type, "cgroup") == 0
                       || strcmp (type, "cgroup2") == 0 || strcmp (type, "mqueue") == 0))
    return false;
  return !path_is_within (dest, "/proc") && !path_is_within (dest, "/sys");
}

/* The writable mounts of the config, as -w rules. */
static void
append_writable_mounts (struct json *args, const struct json *spec)
{
  const struct json *mounts = spec_get (spec, "mounts");

  for (size_t i = 0; json_is (mounts, JSON_ARRAY) && i < mounts->arr.len; i++)
    if (mount_writable (mounts->arr.items[i]))
      {
        cleanup_free char *dest = path_clean (json_string (spec_get (mounts->arr.items[i], "destination")));
        append_rule (args, "-w", dest);
      }
}

static bool
is_known_init (const char *arg0)
{
  const char *base = arg0 ? strrchr (arg0, '/') : NULL;

  base = base ? base + 1 : arg0;
  for (size_t i = 0; base != NULL && i < sizeof known_inits / sizeof known_inits[0]; i++)
    if (strcmp (base, known_inits[i]) == 0)
      return true;
  return false;
}

static struct json *
init_mount (const char *source)
{
  struct json *m = json_new_object ();
  struct json *opts = json_new_array ();

  json_object_append (m, "destination", json_new_string (LANDLOCK_INIT_IN_CONTAINER));
  json_object_append (m, "type", json_new_string ("bind"));
  json_object_append (m, "source", json_new_string (source));
  json_array_append (opts, json_new_string ("bind"));
  json_array_append (opts, json_new_string ("ro"));
  json_array_append (opts, json_new_string ("nosuid"));
  json_array_append (opts, json_new_string ("nodev"));
  json_object_append (m, "options", opts);
  return m;
}

/* process.args behind hardrun-init and its ruleset. */
static struct json *
wrapped_args (const struct control_ctx *ctx, const struct json *args)
{
  const struct policy *p = ctx->policy;
  struct json *out = json_new_array ();

  json_array_append (out, json_new_string (LANDLOCK_INIT_IN_CONTAINER));
  append_list (out, "-r", &p->landlock_read, default_read, sizeof default_read / sizeof default_read[0]);
  append_list (out, "-x", &p->landlock_exec, default_exec, sizeof default_exec / sizeof default_exec[0]);
  if (p->landlock_write.len > 0)
    append_list (out, "-w", &p->landlock_write, NULL, 0);
  else
    append_writable_mounts (out, ctx->spec);
  json_array_append (out, json_new_string ("-s"));
  if (!is_known_init (json_string (args->arr.items[0])))
    json_array_append (out, json_new_string ("-R"));
  json_array_append (out, json_new_string ("--"));
  for (size_t i = 0; i < args->arr.len; i++)
    json_array_append (out, json_clone (args->arr.items[i]));
  return out;
}

int
control_landlock (struct control_ctx *ctx, struct hr_error *err)
{
  struct json *process = spec_get (ctx->spec, "process");
  const struct json *args = spec_get (process, "args");
  int abi = ctx->host->landlock_abi;
  cleanup_json struct json *after = NULL;
  struct json *mounts;

  (void) err;
  if (ctx->policy->landlock_abi_max > 0 && abi > ctx->policy->landlock_abi_max)
    abi = (int) ctx->policy->landlock_abi_max;
  if (abi < 2)
    {
      control_note (ctx, "process.args", "Landlock is not available (ABI %d): no file access limits", abi);
      return 0;
    }
  if (!json_is (args, JSON_ARRAY) || args->arr.len == 0 || ctx->host->init_path == NULL)
    return 0; /* no process: runc refuses the config itself */
  if (json_string (args->arr.items[0]) && strcmp (json_string (args->arr.items[0]), LANDLOCK_INIT_IN_CONTAINER) == 0)
    {
      control_note (ctx, "process.args", "already behind hardrun-init");
      return 0;
    }
  after = wrapped_args (ctx, args);
  if (!control_propose (ctx, "process.args", args, after,
                        "least file access: the workload starts behind hardrun-init's Landlock ruleset"))
    return 0;
  spec_set (process, "args", steal_pointer (&after));
  mounts = spec_get (ctx->spec, "mounts");
  if (!json_is (mounts, JSON_ARRAY))
    {
      mounts = json_new_array ();
      spec_set (ctx->spec, "mounts", mounts);
    }
  json_array_append (mounts, init_mount (ctx->host->init_path));
  return 0;
}
