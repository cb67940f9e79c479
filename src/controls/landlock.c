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
#include "controls/landlock_tree.h"
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

/* The writable mounts of the config, as -w rules, and all of the root
 * when it is writable. */
static void
append_writable (struct control_ctx *ctx, struct json *args)
{
  const struct json *mounts = spec_get (ctx->spec, "mounts");
  const struct json *ro = spec_get_path (ctx->spec, "root", "readonly", NULL);

  if (!(json_is (ro, JSON_BOOL) && ro->boolean))
    {
      append_rule (args, "-w", "/");
      control_note (ctx, "root.readonly", "the root is writable: Landlock cannot keep files written there from "
                                          "being executed");
    }
  for (size_t i = 0; json_is (mounts, JSON_ARRAY) && i < mounts->arr.len; i++)
    if (landlock_mount_writable (mounts->arr.items[i]))
      {
        cleanup_free char *dest = path_clean (json_string (spec_get (mounts->arr.items[i], "destination")));
        append_rule (args, "-w", dest);
      }
}

/* Execute: the profile's list, else all of the image but what the
 * workload can write (its system directories when the image cannot be
 * listed), cut to what it may read. */
static void
append_exec (struct control_ctx *ctx, struct json *args)
{
  const struct string_list *read = &ctx->policy->landlock_read;
  struct string_list cover = { 0 }, readable = { 0 };

  if (ctx->policy->landlock_exec.len > 0)
    {
      append_list (args, "-x", &ctx->policy->landlock_exec, NULL, 0);
      return;
    }
  if (!landlock_exec_cover (ctx->spec, &ctx->host->rootfs_tree, LANDLOCK_MAX_EXEC_RULES, &cover))
    {
      control_note (ctx, "root.path", "the image's tree is not known (or too wide): execute only from its "
                                      "system directories");
      string_list_release (&cover);
      for (size_t i = 0; i < sizeof default_exec / sizeof default_exec[0]; i++)
        string_list_add_unique (&cover, default_exec[i]);
    }
  if (read->len > 0)
    landlock_paths_intersect (&cover, read, &readable);
  for (size_t i = 0; i < (read->len > 0 ? &readable : &cover)->len; i++)
    append_rule (args, "-x", (read->len > 0 ? &readable : &cover)->items[i]);
  string_list_release (&cover);
  string_list_release (&readable);
}

static bool
within_writable_mount (const struct json *spec, const char *path)
{
  const struct json *mounts = spec_get (spec, "mounts");
  cleanup_free char *clean = path_clean (path);

  for (size_t i = 0; json_is (mounts, JSON_ARRAY) && i < mounts->arr.len; i++)
    if (landlock_mount_writable (mounts->arr.items[i]))
      {
        cleanup_free char *dest = path_clean (json_string (spec_get (mounts->arr.items[i], "destination")));
        if (path_is_within (clean, dest))
          return true;
      }
  return false;
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
wrapped_args (struct control_ctx *ctx, const struct json *args)
{
  const struct policy *p = ctx->policy;
  const char *first = json_string (args->arr.items[0]);
  struct json *out = json_new_array ();

  json_array_append (out, json_new_string (LANDLOCK_INIT_IN_CONTAINER));
  append_list (out, "-r", &p->landlock_read, default_read, sizeof default_read / sizeof default_read[0]);
  append_exec (ctx, out);
  if (p->landlock_write.len > 0)
    append_list (out, "-w", &p->landlock_write, NULL, 0);
  else
    append_writable (ctx, out);
  json_array_append (out, json_new_string ("-s"));
  if (is_known_init (first))
    {
      /* the engine's init runs after the ruleset: whatever the lists say,
         it may be executed, unless it is where the workload writes */
      if (first[0] == '/' && !within_writable_mount (ctx->spec, first))
        append_rule (out, "-x", first);
    }
  else
    json_array_append (out, json_new_string ("-R"));
  json_array_append (out, json_new_string ("--"));
  for (size_t i = 0; i < args->arr.len; i++)
    json_array_append (out, json_clone (args->arr.items[i]));
  return out;
}

/* args[start..] as a new array. */
static struct json *
args_from (const struct json *args, size_t start)
{
  struct json *out = json_new_array ();

  for (size_t i = start; i < args->arr.len; i++)
    json_array_append (out, json_clone (args->arr.items[i]));
  return out;
}

struct json *
landlock_unwrapped_args (const struct json *args)
{
  const char *first = json_is (args, JSON_ARRAY) && args->arr.len > 0 ? json_string (args->arr.items[0]) : NULL;

  if (first == NULL || strcmp (first, LANDLOCK_INIT_IN_CONTAINER) != 0)
    return NULL;
  for (size_t i = 1; i + 1 < args->arr.len; i++)
    if (json_string (args->arr.items[i]) && strcmp (json_string (args->arr.items[i]), "--") == 0)
      return args_from (args, i + 1);
  return NULL;
}

/* The config's mounts, without any at hardrun-init's own path. */
static struct json *
mounts_without_init (struct json *spec)
{
  struct json *mounts = spec_get (spec, "mounts");
  cleanup_json struct json *kept = json_new_array ();

  if (!json_is (mounts, JSON_ARRAY))
    {
      spec_set (spec, "mounts", steal_pointer (&kept));
      return spec_get (spec, "mounts");
    }
  for (size_t i = 0; i < mounts->arr.len; i++)
    {
      const char *dest = json_string (spec_get (mounts->arr.items[i], "destination"));
      cleanup_free char *clean = dest ? path_clean (dest) : NULL;
      if (clean == NULL || strcmp (clean, LANDLOCK_INIT_IN_CONTAINER) != 0)
        json_array_append (kept, json_clone (mounts->arr.items[i]));
    }
  if (kept->arr.len == mounts->arr.len)
    return mounts;
  spec_set (spec, "mounts", steal_pointer (&kept));
  return spec_get (spec, "mounts");
}

int
control_landlock (struct control_ctx *ctx, struct hr_error *err)
{
  struct json *process = spec_get (ctx->spec, "process");
  const struct json *args = spec_get (process, "args");
  int abi = ctx->host->landlock_abi;
  cleanup_json struct json *inner = NULL;
  cleanup_json struct json *after = NULL;

  (void) err;
  if (ctx->policy->landlock_abi_max > 0 && abi > ctx->policy->landlock_abi_max)
    abi = (int) ctx->policy->landlock_abi_max;
  if (abi < 2)
    {
      control_note (ctx, "process.args", "Landlock is not available (ABI %d): no file access limits", abi);
      return 0;
    }
  if (!json_is (args, JSON_ARRAY) || args->arr.len == 0)
    return 0; /* no process: runc refuses the config itself */
  if (ctx->host->init_path == NULL)
    {
      control_refuse (ctx, "process.args", NULL,
                      "hardrun-init is not installed where the configuration's \"init\" says: the workload "
                      "cannot be put behind its Landlock ruleset",
                      "init = \"/path/to/hardrun-init\"");
      return 0;
    }
  inner = landlock_unwrapped_args (args);
  after = wrapped_args (ctx, inner ? inner : args);
  if (!control_propose (ctx, "process.args", args, after,
                        "least file access: the workload starts behind hardrun-init's Landlock ruleset"))
    return 0;
  spec_set (process, "args", steal_pointer (&after));
  json_array_append (mounts_without_init (ctx->spec), init_mount (ctx->host->init_path));
  return 0;
}
