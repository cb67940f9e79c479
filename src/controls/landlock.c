/* Least file access with Landlock, which no OCI runtime applies:
 * hardrun-init is bind-mounted read-only (in the /dev tmpfs) and put in
 * front of process.args; inside the container, once runc has made every
 * mount, it restricts itself to the ruleset its argv carries and execs the
 * workload. Default: read all of the root, write only where a writable
 * mount is (volumes, scratch, /dev), execute from all of the root but
 * those (-X, cut by hardrun-init around -n paths and the writable mounts
 * of the container's mount table, -m, each found by what it is in the
 * tree runc made), so nothing written there can be exec'd. A profile's
 * landlock lists replace these; a learned profile it enforces narrows
 * execute to the files the workload ran (and their interpreters) and
 * write to the mounts it wrote in. Landlock does not see mmap(PROT_EXEC):
 * a loader run on a written file, or a memfd, is not stopped by it. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "controls/landlock_tree.h"
#include "host/paths.h"
#include "learn/learned.h"
#include "learn/lookup.h"
#include "policy/policy.h"
#include "spec/spec.h"

static const char *const default_read[] = { "/" };
/* never executable from: the kernel's views and the device tree */
static const char *const shut_always[] = { "/proc", "/sys", "/dev" };
/* engines' own inits: chained behind hardrun-init, which then does not reap */
static const char *const known_inits[] = { "docker-init", "catatonit", "tini", "tini-static", "dumb-init" };

static void
append_rules (struct json *args, const char *flag, const struct string_list *paths)
{
  for (size_t i = 0; i < paths->len; i++)
    {
      json_array_append (args, json_new_string (flag));
      json_array_append (args, json_new_string (paths->items[i]));
    }
}

static void
add_all (struct string_list *l, const char *const *items, size_t n)
{
  for (size_t i = 0; i < n; i++)
    string_list_add_unique (l, items[i]);
}

/* The config's mounts the workload can write, by destination. */
static void
add_writable_mounts (const struct json *spec, struct string_list *out)
{
  const struct json *mounts = spec_get (spec, "mounts");

  for (size_t i = 0; json_is (mounts, JSON_ARRAY) && i < mounts->arr.len; i++)
    if (landlock_mount_writable (mounts->arr.items[i]))
      {
        cleanup_free char *dest = path_clean (json_string (spec_get (mounts->arr.items[i], "destination")));
        string_list_add_unique (out, dest);
      }
}

/* Write: the profile's list, else the writable mounts, and all of the root
 * when it is writable. */
static void
write_paths (struct control_ctx *ctx, struct string_list *out)
{
  const struct json *ro = spec_get_path (ctx->spec, "root", "readonly", NULL);

  if (ctx->policy->landlock_write.len > 0)
    {
      add_all (out, (const char *const *) ctx->policy->landlock_write.items, ctx->policy->landlock_write.len);
      return;
    }
  if (!(json_is (ro, JSON_BOOL) && ro->boolean))
    {
      string_list_add_unique (out, "/");
      control_note (ctx, "root.readonly", "the root is writable: Landlock cannot keep files written there from "
                                          "being executed");
    }
  add_writable_mounts (ctx->spec, out);
}

/* Where nothing may execute, whatever -X allows: the kernel's views, the
 * device tree and hardrun-init, by name (-n); every writable mount, and
 * what a read-only one shows of one, hardrun-init finds in the mount table
 * (-m). `writable` gets the config's writable mounts, by name, for what
 * hardrun itself leaves out of execute. */
static void
shut_paths (const struct control_ctx *ctx, const char *destination, struct string_list *shut,
            struct string_list *writable)
{
  add_all (shut, shut_always, sizeof shut_always / sizeof shut_always[0]);
  string_list_add_unique (shut, destination);
  add_all (writable, (const char *const *) shut->items, shut->len);
  add_writable_mounts (ctx->spec, writable);
}

/* Execute: the profile's list, exactly (-x), else all it may read (-X),
 * which hardrun-init cuts around the shut paths, but none that lies in
 * one (running a file takes reading it). */
static void
exec_paths (struct control_ctx *ctx, const struct string_list *read, const struct string_list *shut,
            struct string_list *exact, struct string_list *cut)
{
  if (ctx->policy->landlock_exec.len > 0)
    {
      add_all (exact, (const char *const *) ctx->policy->landlock_exec.items, ctx->policy->landlock_exec.len);
      return;
    }
  for (size_t i = 0; i < read->len; i++)
    {
      cleanup_free char *clean = path_clean (read->items[i]);
      if (!landlock_within_any (shut, clean))
        string_list_add_unique (cut, clean);
    }
}

/* The learned profile this launch enforces, or NULL. */
static const struct json *
enforced_learned (const struct control_ctx *ctx)
{
  const struct learned_match *m = ctx->host->learned;
  int k = learned_match_index (ctx->spec);

  if (ctx->policy->learning == LEARNING_OFF || m == NULL
      || learned_effective_mode (ctx->policy->learning, m->profile[k]) != LEARNING_ENFORCE)
    return NULL;
  return m->profile[k];
}

/* A learned profile narrows execute and write to what it was seen doing:
 * the files it ran stay cut (-X), so hardrun-init leaves out any that the
 * container's tree puts where the workload writes. */
static void
narrow_to_learned (struct control_ctx *ctx, const struct string_list *shut, struct string_list *exec,
                   struct string_list *write)
{
  const struct json *learned = enforced_learned (ctx);
  struct string_list e = { 0 }, w = { 0 };

  if (learned == NULL)
    return;
  landlock_learned_exec (&ctx->host->rootfs_tree, learned, exec, shut, &e);
  landlock_learned_write (&ctx->host->rootfs_tree, learned, write, &w);
  control_note (ctx, "process.args",
                "learned profile %s: execute %zu file(s) it ran (of %zu path(s)), write %zu of %zu path(s), "
                "those it wrote in",
                learned_name (learned), e.len, exec->len, w.len, write->len);
  string_list_release (exec);
  string_list_release (write);
  *exec = e;
  *write = w;
}

/* The last of the config's mounts at path (the one runc leaves on top),
 * or NULL. */
static const struct json *
last_mount_at (const struct json *spec, const char *path)
{
  const struct json *mounts = spec_get (spec, "mounts");
  cleanup_free char *clean = path_clean (path);
  const struct json *last = NULL;

  for (size_t i = 0; json_is (mounts, JSON_ARRAY) && i < mounts->arr.len; i++)
    {
      const char *d = json_string (spec_get (mounts->arr.items[i], "destination"));
      cleanup_free char *dest = d ? path_clean (d) : NULL;
      if (dest != NULL && strcmp (dest, clean) == 0)
        last = mounts->arr.items[i];
    }
  return last;
}

/* Whether the last mount at path is a read-only bind of it (an engine's
 * init: docker-init at /sbin/docker-init, catatonit at /run/podman-init). */
static bool
bound_read_only (const struct json *spec, const char *path)
{
  const struct json *last = last_mount_at (spec, path);

  return last != NULL && mount_read_only (spec_get (last, "options"));
}

static bool
is_init_name (const char *path)
{
  const char *base = path ? strrchr (path, '/') : NULL;

  base = base ? base + 1 : path;
  for (size_t i = 0; base != NULL && i < sizeof known_inits / sizeof known_inits[0]; i++)
    if (strcmp (base, known_inits[i]) == 0)
      return true;
  return false;
}

/* Whether the workload starts with an engine's init: one named so, or one
 * the engine binds from a file named so (podman binds catatonit at
 * /run/podman-init). */
static bool
is_known_init (const struct json *spec, const char *arg0)
{
  const struct json *bound = arg0 && arg0[0] == '/' ? last_mount_at (spec, arg0) : NULL;

  return is_init_name (arg0) || (bound != NULL && is_init_name (json_string (spec_get (bound, "source"))));
}

const char *
landlock_init_destination (const struct json *spec)
{
  /* the last mount at /dev is the one the init's mount point is made in */
  const char *type = json_string (spec_get (last_mount_at (spec, "/dev"), "type"));

  return type != NULL && strcmp (type, "tmpfs") == 0 ? LANDLOCK_INIT_IN_DEV : LANDLOCK_INIT_IN_ROOT;
}

bool
landlock_is_init_path (const char *path)
{
  return strcmp (path, LANDLOCK_INIT_IN_DEV) == 0 || strcmp (path, LANDLOCK_INIT_IN_ROOT) == 0;
}

static struct json *
init_mount (const char *destination, const char *source)
{
  struct json *m = json_new_object ();
  struct json *opts = json_new_array ();

  json_object_append (m, "destination", json_new_string (destination));
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
wrapped_args (struct control_ctx *ctx, const char *destination, int abi, const struct json *args)
{
  char abi_text[16];
  const char *first = json_string (args->arr.items[0]);
  bool engine_init = is_known_init (ctx->spec, first);
  struct string_list read = { 0 }, exact = { 0 }, cut = { 0 }, shut = { 0 }, writable = { 0 }, write = { 0 };
  struct json *out = json_new_array ();

  if (ctx->policy->landlock_read.len > 0)
    add_all (&read, (const char *const *) ctx->policy->landlock_read.items, ctx->policy->landlock_read.len);
  else
    add_all (&read, default_read, sizeof default_read / sizeof default_read[0]);
  shut_paths (ctx, destination, &shut, &writable);
  exec_paths (ctx, &read, &writable, &exact, &cut);
  write_paths (ctx, &write);
  /* a profile's own list is narrowed as given; the default stays cut */
  narrow_to_learned (ctx, exact.len > 0 ? NULL : &writable, exact.len > 0 ? &exact : &cut, &write);
  /* the engine's init runs after the ruleset: whatever the lists say, it
     may be executed; exactly where the engine binds it read-only, else
     only where hardrun-init finds it outside every writable place */
  if (engine_init && first[0] == '/')
    string_list_add_unique (bound_read_only (ctx->spec, first) ? &exact : &cut, first);
  json_array_append (out, json_new_string (destination));
  append_rules (out, "-r", &read);
  append_rules (out, "-x", &exact);
  append_rules (out, "-X", &cut);
  append_rules (out, "-n", &shut);
  json_array_append (out, json_new_string ("-m"));
  /* less inside (a filter that answers the probe) refuses to run */
  snprintf (abi_text, sizeof abi_text, "%d", abi);
  json_array_append (out, json_new_string ("-A"));
  json_array_append (out, json_new_string (abi_text));
  append_rules (out, "-w", &write);
  append_rules (out, "-b", &ctx->policy->landlock_tcp_bind);
  append_rules (out, "-c", &ctx->policy->landlock_tcp_connect);
  json_array_append (out, json_new_string ("-s"));
  if (!engine_init)
    json_array_append (out, json_new_string ("-R"));
  json_array_append (out, json_new_string ("--"));
  for (size_t i = 0; i < args->arr.len; i++)
    json_array_append (out, json_clone (args->arr.items[i]));
  string_list_release (&read);
  string_list_release (&exact);
  string_list_release (&cut);
  string_list_release (&shut);
  string_list_release (&writable);
  string_list_release (&write);
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

  if (first == NULL || !landlock_is_init_path (first))
    return NULL;
  for (size_t i = 1; i + 1 < args->arr.len; i++)
    if (json_string (args->arr.items[i]) && strcmp (json_string (args->arr.items[i]), "--") == 0)
      return args_from (args, i + 1);
  return NULL;
}

/* Whether m is at one of hardrun-init's paths. */
static bool
is_init_mount (const struct json *m)
{
  const char *dest = json_string (spec_get (m, "destination"));
  cleanup_free char *clean = dest ? path_clean (dest) : NULL;

  return clean != NULL && landlock_is_init_path (clean);
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
    if (!is_init_mount (mounts->arr.items[i]))
      json_array_append (kept, json_clone (mounts->arr.items[i]));
  if (kept->arr.len == mounts->arr.len)
    return mounts;
  spec_set (spec, "mounts", steal_pointer (&kept));
  return spec_get (spec, "mounts");
}

/* Whether the config binds hardrun-init once, and as this control would:
 * then a config it already wrote needs no change. */
static bool
init_mount_in_place (const struct json *spec, const char *destination, const char *source)
{
  const struct json *mounts = spec_get (spec, "mounts");
  cleanup_json struct json *want = init_mount (destination, source);
  size_t found = 0, equal = 0;

  for (size_t i = 0; json_is (mounts, JSON_ARRAY) && i < mounts->arr.len; i++)
    if (is_init_mount (mounts->arr.items[i]))
      {
        found++;
        equal += json_equal (mounts->arr.items[i], want);
      }
  return found == 1 && equal == 1;
}

int
control_landlock (struct control_ctx *ctx, struct hr_error *err)
{
  struct json *process = spec_get (ctx->spec, "process");
  const struct json *args = spec_get (process, "args");
  int abi = ctx->host->landlock_abi;
  const char *destination;
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
  if (abi < 4 && ctx->policy->landlock_tcp_bind.len + ctx->policy->landlock_tcp_connect.len > 0)
    control_note (ctx, "process.args", "Landlock ABI %d cannot limit TCP ports: tcp_bind and tcp_connect are not applied", abi);
  inner = landlock_unwrapped_args (args);
  destination = landlock_init_destination (ctx->spec);
  after = wrapped_args (ctx, destination, abi, inner ? inner : args);
  if (json_equal (args, after) && init_mount_in_place (ctx->spec, destination, ctx->host->init_path))
    return 0;
  if (!control_propose (ctx, "process.args", args, after,
                        "least file access: the workload starts behind hardrun-init's Landlock ruleset"))
    return 0;
  spec_set (process, "args", steal_pointer (&after));
  json_array_append (mounts_without_init (ctx->spec), init_mount (destination, ctx->host->init_path));
  return 0;
}
