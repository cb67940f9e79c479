#include "config.h"
#include "controls/landlock_tree.h"

#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "host/paths.h"
#include "learn/learned.h"
#include "spec/spec.h"

bool
landlock_mount_writable (const struct json *m)
{
  const char *type = json_string (spec_get (m, "type"));
  const char *dest = json_string (spec_get (m, "destination"));

  if (dest == NULL || dest[0] != '/' || mount_read_only (spec_get (m, "options")))
    return false;
  if (type != NULL && (strcmp (type, "proc") == 0 || strcmp (type, "sysfs") == 0 || strcmp (type, "cgroup") == 0
                       || strcmp (type, "cgroup2") == 0 || strcmp (type, "mqueue") == 0))
    return false;
  return !path_is_within (dest, "/proc") && !path_is_within (dest, "/sys");
}

bool
landlock_within_any (const struct string_list *l, const char *path)
{
  for (size_t i = 0; i < l->len; i++)
    if (path_is_within (path, l->items[i]))
      return true;
  return false;
}

/* Whether a resolved path lies in dir, as written or as the image's
 * symlinks lead it. */
static bool
within_resolved (const struct rootfs_tree *tree, const char *dir, const char *path)
{
  const char *r = rootfs_tree_resolved (tree, dir);

  return path_is_within (path, dir) || (r != NULL && path_is_within (path, r));
}

/* Whether a resolved path lies in one of l's, but the skip-th (none:
 * l->len). */
static bool
within_any_resolved (const struct rootfs_tree *tree, const struct string_list *l, size_t skip, const char *path)
{
  for (size_t i = 0; i < l->len; i++)
    if (i != skip && within_resolved (tree, l->items[i], path))
      return true;
  return false;
}

void
landlock_learned_exec (const struct rootfs_tree *tree, const struct json *learned, const struct string_list *exec,
                       const struct string_list *shut, struct string_list *out)
{
  const struct json *seen = learned_section (learned, LEARNED_EXECS);

  for (size_t i = 0; json_is (seen, JSON_OBJECT) && i < seen->obj.len; i++)
    {
      cleanup_free char *asked = path_clean (seen->obj.members[i].key);
      const struct rootfs_exec *e = rootfs_tree_exec (tree, asked);
      for (size_t j = 0; e != NULL && j < e->n_files; j++)
        if (landlock_within_any (exec, e->files[j]) && !(shut != NULL && within_any_resolved (tree, shut, shut->len, e->files[j])))
          string_list_add_unique (out, e->files[j]);
    }
}

/* A written path with the image's symlinks on the way followed, as the
 * directories it was written in were probed. */
static char *
resolved_written (const struct rootfs_tree *tree, const char *path)
{
  cleanup_free char *clean = path_clean (path);
  const char *slash = strrchr (clean, '/');
  cleanup_free char *dir = slash && slash != clean ? hr_xstrndup (clean, (size_t) (slash - clean)) : hr_xstrdup ("/");
  const char *r = rootfs_tree_resolved (tree, dir);

  if (r == NULL || slash == NULL)
    return steal_pointer (&clean);
  return hr_xasprintf ("%s/%s", strcmp (r, "/") == 0 ? "" : r, slash + 1);
}

void
landlock_learned_write (const struct rootfs_tree *tree, const struct json *learned, const struct string_list *write,
                        struct string_list *out)
{
  const struct json *seen = learned_section (learned, LEARNED_WRITTEN);

  for (size_t w = 0; w < write->len; w++)
    {
      for (size_t i = 0; json_is (seen, JSON_OBJECT) && i < seen->obj.len; i++)
        {
          cleanup_free char *path = resolved_written (tree, seen->obj.members[i].key);
          if (strcmp (write->items[w], "/") == 0 && within_any_resolved (tree, write, w, path))
            continue; /* the root is kept for what was written outside every mount */
          if (within_resolved (tree, write->items[w], path))
            {
              string_list_add_unique (out, write->items[w]);
              break;
            }
        }
    }
}
