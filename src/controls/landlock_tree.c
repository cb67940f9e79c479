#include "config.h"
#include "controls/landlock_tree.h"

#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "host/paths.h"
#include "learn/learned.h"
#include "spec/spec.h"

/* never executable from: the kernel's views, the device tree, and
 * hardrun-init (which runc leaves in the root once it was bound there) */
static const char *const shut_always[] = { "/proc", "/sys", "/dev", LANDLOCK_INIT_IN_ROOT };

struct cover
{
  const struct rootfs_tree *tree;
  struct string_list shut;   /* resolved: nothing executes at or beneath */
  struct string_list opened; /* resolved read-only mount points */
  bool any_file;             /* the root is writable */
  size_t max;
  bool overflow;
  struct string_list *out;
};

bool
landlock_mount_writable (const struct json *m)
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

static bool
within_any (const struct string_list *l, const char *path)
{
  for (size_t i = 0; i < l->len; i++)
    if (path_is_within (path, l->items[i]))
      return true;
  return false;
}

static bool
any_strictly_below (const struct string_list *l, const char *dir)
{
  for (size_t i = 0; i < l->len; i++)
    if (strcmp (l->items[i], dir) != 0 && path_is_within (l->items[i], dir))
      return true;
  return false;
}

/* The first component below `dir` of each path of `l` strictly below it. */
static void
add_next_names (struct string_list *names, const struct string_list *l, const char *dir)
{
  size_t skip = strcmp (dir, "/") == 0 ? 1 : strlen (dir) + 1;

  for (size_t i = 0; i < l->len; i++)
    if (strcmp (l->items[i], dir) != 0 && path_is_within (l->items[i], dir))
      {
        const char *name = l->items[i] + skip;
        const char *end = strchr (name, '/');
        cleanup_free char *one = end ? hr_xstrndup (name, (size_t) (end - name)) : hr_xstrdup (name);
        string_list_add_unique (names, one);
      }
}

static void
cover (struct cover *c, const char *dir)
{
  const struct rootfs_listing *l;
  struct string_list names = { 0 };

  if (within_any (&c->shut, dir))
    return;
  if (!any_strictly_below (&c->shut, dir))
    {
      if (c->out->len >= c->max)
        c->overflow = true;
      else
        string_list_add_unique (c->out, dir);
      return;
    }
  l = rootfs_tree_listing (c->tree, dir);
  for (size_t i = 0; l != NULL && i < l->n_entries; i++)
    if (l->entries[i].kind != ROOTFS_FILE || c->any_file)
      string_list_add_unique (&names, l->entries[i].name);
  add_next_names (&names, &c->shut, dir);
  add_next_names (&names, &c->opened, dir);
  for (size_t i = 0; i < names.len && !c->overflow; i++)
    {
      cleanup_free char *child = hr_xasprintf ("%s/%s", strcmp (dir, "/") == 0 ? "" : dir, names.items[i]);
      cover (c, child);
    }
  string_list_release (&names);
}

/* A mount's destination as runc will find it in the root. */
static char *
resolved_destination (const struct rootfs_tree *tree, const char *dest)
{
  cleanup_free char *clean = path_clean (dest);
  const char *r = rootfs_tree_resolved (tree, clean);

  return hr_xstrdup (r ? r : clean);
}

bool
landlock_exec_cover (const struct json *spec, const struct rootfs_tree *tree, size_t max, struct string_list *out)
{
  const struct json *mounts = spec_get (spec, "mounts");
  const struct json *ro = spec_get_path (spec, "root", "readonly", NULL);
  struct cover c = { .tree = tree, .any_file = !(json_is (ro, JSON_BOOL) && ro->boolean), .max = max, .out = out };

  if (!tree->known)
    return false;
  for (size_t i = 0; i < sizeof shut_always / sizeof shut_always[0]; i++)
    string_list_add_unique (&c.shut, shut_always[i]);
  for (size_t i = 0; json_is (mounts, JSON_ARRAY) && i < mounts->arr.len; i++)
    {
      const char *dest = json_string (spec_get (mounts->arr.items[i], "destination"));
      if (dest == NULL || dest[0] != '/')
        continue;
      cleanup_free char *r = resolved_destination (tree, dest);
      string_list_add_unique (landlock_mount_writable (mounts->arr.items[i]) ? &c.shut : &c.opened, r);
    }
  cover (&c, "/");
  string_list_release (&c.shut);
  string_list_release (&c.opened);
  return !c.overflow;
}

void
landlock_paths_intersect (const struct string_list *a, const struct string_list *b, struct string_list *out)
{
  for (size_t i = 0; i < a->len; i++)
    for (size_t j = 0; j < b->len; j++)
      if (path_is_within (a->items[i], b->items[j]))
        string_list_add_unique (out, a->items[i]);
      else if (path_is_within (b->items[j], a->items[i]))
        string_list_add_unique (out, b->items[j]);
}

static bool
within_any_of (const struct string_list *l, const char *path)
{
  for (size_t i = 0; i < l->len; i++)
    if (path_is_within (path, l->items[i]))
      return true;
  return false;
}

void
landlock_learned_exec (const struct rootfs_tree *tree, const struct json *learned, const struct string_list *exec,
                       struct string_list *out)
{
  const struct json *seen = learned_section (learned, LEARNED_EXECS);

  for (size_t i = 0; json_is (seen, JSON_OBJECT) && i < seen->obj.len; i++)
    {
      cleanup_free char *asked = path_clean (seen->obj.members[i].key);
      const struct rootfs_exec *e = rootfs_tree_exec (tree, asked);
      for (size_t j = 0; e != NULL && j < e->n_files; j++)
        if (within_any_of (exec, e->files[j]))
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

/* Whether path lies beneath one of write's paths other than the w-th. */
static bool
within_other (const struct rootfs_tree *tree, const struct string_list *write, size_t w, const char *path)
{
  for (size_t i = 0; i < write->len; i++)
    {
      const char *r = rootfs_tree_resolved (tree, write->items[i]);
      if (i != w && (path_is_within (path, write->items[i]) || (r != NULL && path_is_within (path, r))))
        return true;
    }
  return false;
}

void
landlock_learned_write (const struct rootfs_tree *tree, const struct json *learned, const struct string_list *write,
                        struct string_list *out)
{
  const struct json *seen = learned_section (learned, LEARNED_WRITTEN);

  for (size_t w = 0; w < write->len; w++)
    {
      const char *r = rootfs_tree_resolved (tree, write->items[w]);
      for (size_t i = 0; json_is (seen, JSON_OBJECT) && i < seen->obj.len; i++)
        {
          cleanup_free char *path = resolved_written (tree, seen->obj.members[i].key);
          if (strcmp (write->items[w], "/") == 0 && within_other (tree, write, w, path))
            continue; /* the root is kept for what was written outside every mount */
          if (path_is_within (path, write->items[w]) || (r != NULL && path_is_within (path, r)))
            {
              string_list_add_unique (out, write->items[w]);
              break;
            }
        }
    }
}
