/* A read-only root filesystem, with tmpfs scratch space where the config
 * mounts nothing (as podman --read-only does): the image's content there
 * copied in (runc's tmpcopyup), its size the container's memory limit
 * (tmpfs pages count against it anyway), and only where runc can make the
 * mount point: under a user namespace, runc cannot create a directory the
 * image lacks in a root owned by the host. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "host/hostfacts.h"
#include "host/paths.h"
#include "learn/filter.h"
#include "learn/lookup.h"
#include "policy/policy.h"
#include "spec/spec.h"

static struct json *
tmpfs_mount (const char *dest, const char *size, bool copy_up)
{
  struct json *m = json_new_object ();
  struct json *opts = json_new_array ();

  json_object_append (m, "destination", json_new_string (dest));
  json_object_append (m, "type", json_new_string ("tmpfs"));
  json_object_append (m, "source", json_new_string ("tmpfs"));
  json_array_append (opts, json_new_string ("nosuid"));
  json_array_append (opts, json_new_string ("nodev"));
  /* where the image lacks the directory: scratch is everyone's (sticky), a
   * data directory root's */
  json_array_append (opts, json_new_string (strcmp (dest, "/tmp") == 0 || strcmp (dest, "/var/tmp") == 0
                                                ? "mode=1777"
                                                : "mode=755"));
  /* runc copies what the image has there into the tmpfs (and keeps the
   * directory's own mode) */
  if (copy_up)
    json_array_append (opts, json_new_string ("tmpcopyup"));
  if (size != NULL)
    {
      cleanup_free char *size_opt = hr_xasprintf ("size=%s", size);
      json_array_append (opts, json_new_string (size_opt));
    }
  json_object_append (m, "options", opts);
  return m;
}

/* "memory": the container's memory limit in bytes, or none (the kernel's
 * half of RAM, which a container without a limit may take anyway). */
static char *
scratch_size (const struct control_ctx *ctx)
{
  const struct json *limit = spec_get_path (ctx->spec, "linux", "resources", "memory", "limit", NULL);
  int64_t bytes;

  if (strcmp (ctx->policy->tmpfs_size, "memory") != 0)
    return hr_xstrdup (ctx->policy->tmpfs_size);
  if (json_number_to_i64 (limit, &bytes) == 0 && bytes > 0)
    return hr_xasprintf ("%lld", (long long) bytes);
  return NULL;
}

/* Does the user namespace map this host id? */
static bool
id_mapped (const struct json *maps, uint64_t id)
{
  for (size_t i = 0; json_is (maps, JSON_ARRAY) && i < maps->arr.len; i++)
    {
      uint64_t host, size;
      if (json_number_to_u64 (spec_get (maps->arr.items[i], "hostID"), &host) == 0
          && json_number_to_u64 (spec_get (maps->arr.items[i], "size"), &size) == 0 && id >= host
          && id - host < size)
        return true;
    }
  return false;
}

/* Under a user namespace runc makes the mount as the container's root: it
 * cannot create a mount point the image lacks in a root the host owns, nor
 * copy in files owned by ids the namespace does not map. So: no tmpfs on a
 * missing directory; without tmpcopyup on an empty one the container does
 * not own; none on one with content it could not copy (it stays
 * read-only, its content visible). */
static bool
userns_can_mount (struct control_ctx *ctx, const char *dest, bool *copy_up)
{
  const struct rootfs_dir *d = host_facts_rootfs_dir (ctx->host, dest);
  const struct json *linux_obj = spec_get (ctx->spec, "linux");
  bool owned;

  if (d == NULL || d->present < 0)
    return true; /* unknown: runc will say */
  if (d->present == 0)
    {
      control_note (ctx, "root.readonly",
                    "no scratch space on %s: the image has no such directory, and under a user "
                    "namespace runc cannot make it",
                    dest);
      return false;
    }
  owned = id_mapped (spec_get (linux_obj, "uidMappings"), d->uid)
          && id_mapped (spec_get (linux_obj, "gidMappings"), d->gid);
  if (owned)
    return true;
  *copy_up = false;
  if (d->empty)
    return true;
  control_note (ctx, "root.readonly",
                "no tmpfs on %s: under the user namespace runc could not copy its content (owned "
                "by ids the namespace does not map), so it stays read-only",
                dest);
  return false;
}

static int
ensure_tmpfs (struct control_ctx *ctx, const char *dest)
{
  struct json *mounts = spec_get (ctx->spec, "mounts");
  size_t insert_at;
  cleanup_json struct json *m = NULL;
  cleanup_free char *path = NULL;
  cleanup_free char *size = NULL;
  bool copy_up = true;

  insert_at = json_is (mounts, JSON_ARRAY) ? mounts->arr.len : 0;
  if (json_is (mounts, JSON_ARRAY))
    for (size_t i = mounts->arr.len; i-- > 0;)
      {
        const char *d = json_string (spec_get (mounts->arr.items[i], "destination"));
        cleanup_free char *cleaned = d && !path_is_clean (d) ? path_clean (d) : NULL;
        const char *clean = cleaned ? cleaned : d;
        if (clean == NULL)
          continue;
        if (strcmp (clean, dest) == 0)
          return 0; /* the config mounts something there already */
        /* Mounts below dest must come after the tmpfs or it would hide them. */
        if (path_is_within (clean, dest))
          insert_at = i;
      }

  if (spec_has_namespace (ctx->spec, "user") && !userns_can_mount (ctx, dest, &copy_up))
    return 0;
  size = scratch_size (ctx);
  m = tmpfs_mount (dest, size, copy_up);
  path = hr_xasprintf ("mounts[%s]", dest);
  if (!control_propose (ctx, path, NULL, m, "writable scratch space for a read-only root"))
    return 0;
  if (!json_is (mounts, JSON_ARRAY))
    {
      mounts = json_new_array ();
      spec_set (ctx->spec, "mounts", mounts);
      insert_at = 0;
    }
  json_array_append (mounts, NULL);
  memmove (&mounts->arr.items[insert_at + 1], &mounts->arr.items[insert_at],
           (mounts->arr.len - 1 - insert_at) * sizeof *mounts->arr.items);
  mounts->arr.items[insert_at] = steal_pointer (&m);
  return 0;
}

/* Is dest inside what a mount of the config already covers? */
static bool
covered_by_mount (const struct control_ctx *ctx, const char *dest)
{
  const struct json *mounts = spec_get (ctx->spec, "mounts");

  for (size_t i = 0; json_is (mounts, JSON_ARRAY) && i < mounts->arr.len; i++)
    {
      const char *d = json_string (spec_get (mounts->arr.items[i], "destination"));
      cleanup_free char *clean = d && d[0] == '/' ? path_clean (d) : NULL;
      if (clean != NULL && path_is_within (dest, clean))
        return true;
    }
  return false;
}

/* A learned directory becomes scratch only where the image has it, reached
 * through no symlink: runc would follow one, and a link to /etc would make
 * /etc writable. */
static bool
image_has_plain_dir (struct control_ctx *ctx, const char *dir)
{
  const struct rootfs_dir *d = host_facts_rootfs_dir (ctx->host, dir);

  if (d != NULL && d->present == 1 && !d->via_symlink)
    return true;
  control_note (ctx, "mounts", "no scratch space on %s from the learned profile: %s", dir,
                d == NULL || d->present < 0 ? "the image's root could not be read"
                : d->present == 0           ? "the image has no such directory"
                                            : "the path passes a symlink in the image");
  return false;
}

/* Under an enforced learned profile, the directories the workload was seen
 * writing become scratch too, where no mount covers them already (a
 * volume, a file the engine binds, an earlier scratch). */
static int
learned_scratch (struct control_ctx *ctx)
{
  const struct learned_match *m = ctx->host->learned;
  const struct json *profile = m ? m->profile[learned_match_index (ctx->spec)] : NULL;
  const struct json *written;

  if (profile == NULL || learned_effective_mode (ctx->policy->learning, profile) != LEARNING_ENFORCE)
    return 0;
  if (spec_has_namespace (ctx->spec, "user"))
    {
      control_note (ctx, "mounts", "no scratch space from the learned profile under a user namespace");
      return 0;
    }
  written = learned_section (profile, LEARNED_WRITTEN);
  for (size_t i = 0; json_is (written, JSON_OBJECT) && i < written->obj.len; i++)
    {
      cleanup_free char *dir = learn_scratch_dir (written->obj.members[i].key);
      if (dir == NULL || covered_by_mount (ctx, written->obj.members[i].key) || covered_by_mount (ctx, dir)
          || !image_has_plain_dir (ctx, dir))
        continue;
      if (ensure_tmpfs (ctx, dir) < 0)
        return -1;
    }
  return 0;
}

int
control_readonly_rootfs (struct control_ctx *ctx, struct hr_error *err)
{
  struct json *root = spec_get (ctx->spec, "root");
  struct json *ro = spec_get (root, "readonly");

  if (!json_is (root, JSON_OBJECT))
    return 0; /* no root: runc refuses the config itself */
  if (!(json_is (ro, JSON_BOOL) && ro->boolean))
    {
      cleanup_json struct json *want = json_new_bool (true);
      if (control_propose (ctx, "root.readonly", ro, want, "the root filesystem must be read-only"))
        spec_set (root, "readonly", steal_pointer (&want));
    }
  for (size_t i = 0; i < ctx->policy->tmpfs.len; i++)
    {
      cleanup_free char *dest = path_clean (ctx->policy->tmpfs.items[i]);
      if (ensure_tmpfs (ctx, dest) < 0)
        return -1;
    }
  return learned_scratch (ctx);
}
