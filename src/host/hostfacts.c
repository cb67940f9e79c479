#include "config.h"
#include "host/hostfacts.h"

#include <limits.h>
#include <linux/magic.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "host/caller.h"
#include "host/cgroup.h"
#include "host/path_walk.h"
#include "host/paths.h"
#include "spec/spec.h"

#ifdef HAVE_APPARMOR
#include <sys/apparmor.h>
#endif
#ifdef HAVE_SELINUX
#include <selinux/selinux.h>
#endif

struct arch_family
{
  uint32_t native;
  const char *names[HOST_MAX_ARCHES];
};

/* A 64-bit kernel also runs its 32-bit compat ABIs: filter them too, as
 * Docker's profile does. */
static const struct arch_family families[] = {
  { SCMP_ARCH_X86_64, { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", NULL } },
  { SCMP_ARCH_X86, { "SCMP_ARCH_X86", NULL } },
  { SCMP_ARCH_AARCH64, { "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", NULL } },
  { SCMP_ARCH_ARM, { "SCMP_ARCH_ARM", NULL } },
  { SCMP_ARCH_PPC64LE, { "SCMP_ARCH_PPC64LE", NULL } },
  { SCMP_ARCH_S390X, { "SCMP_ARCH_S390X", "SCMP_ARCH_S390", NULL } },
  { SCMP_ARCH_RISCV64, { "SCMP_ARCH_RISCV64", NULL } },
  { SCMP_ARCH_MIPSEL64, { "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_MIPSEL", NULL } },
};

const char *
host_arch_name (uint32_t token)
{
  for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
    if (families[i].native == token)
      return families[i].names[0];
  return NULL;
}

static const struct
{
  const char *oci;
  const char *proc;
} ns_names[HOST_NS_COUNT] = {
  [HOST_NS_PID] = { "pid", "pid" },       [HOST_NS_NETWORK] = { "network", "net" },
  [HOST_NS_IPC] = { "ipc", "ipc" },       [HOST_NS_UTS] = { "uts", "uts" },
  [HOST_NS_MOUNT] = { "mount", "mnt" },   [HOST_NS_USER] = { "user", "user" },
  [HOST_NS_CGROUP] = { "cgroup", "cgroup" }, [HOST_NS_TIME] = { "time", "time" },
};

int
host_ns_from_type (const char *type)
{
  for (int i = 0; type != NULL && i < HOST_NS_COUNT; i++)
    if (strcmp (ns_names[i].oci, type) == 0)
      return i;
  return -1;
}

static void
identify (const char *path, struct file_identity *id)
{
  struct stat st;
  id->known = stat (path, &st) == 0;
  if (id->known)
    {
      id->dev = st.st_dev;
      id->ino = st.st_ino;
      id->mode = st.st_mode;
    }
}

/* A path the config names, as it is now. runc resolves a relative bind
 * source or root.path against the bundle (it runs there); in_bundle does
 * the same. */
static void
add_path (struct host_facts *h, struct path_walk *w, const char *path, bool resolve, bool in_bundle)
{
  struct path_fact *f;

  if (path == NULL || host_facts_path (h, path) != NULL)
    return;
  h->paths = hr_xrealloc (h->paths, (h->n_paths + 1) * sizeof *h->paths);
  f = &h->paths[h->n_paths++];
  memset (f, 0, sizeof *f);
  f->path = hr_xstrdup (path);
  if (resolve)
    f->resolved = path_walk_resolve (w, in_bundle ? h->bundle : NULL, path, &f->id);
  else
    identify (path, &f->id);
}

/* Is path the top of an overlay mount (an engine's per-container root)? */
static bool
is_overlay_mount (const char *path)
{
  struct statfs fs;
  struct stat st, up;
  cleanup_free char *parent = path ? hr_xasprintf ("%s/..", path) : NULL;

  return path != NULL && statfs (path, &fs) == 0 && (unsigned long) fs.f_type == OVERLAYFS_SUPER_MAGIC
         && stat (path, &st) == 0 && stat (parent, &up) == 0 && st.st_dev != up.st_dev;
}


/* podman's conmon starts the runtime and carries the container's name in its
 * own argv (-n NAME). */
static void
probe_conmon_name (struct host_facts *h)
{
  char path[64];
  cleanup_free char *cmdline = NULL;
  size_t len = 0;
  ssize_t n;
  char buf[4096];
  struct hr_buf b = { 0 };

  if (!host_parent_is ("conmon"))
    return;
  snprintf (path, sizeof path, "/proc/%ld/cmdline", (long) getppid ());
  {
    cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);
    while (fd >= 0 && (n = read (fd, buf, sizeof buf)) > 0 && b.len < 65536)
      hr_buf_append (&b, buf, (size_t) n);
  }
  cmdline = b.data;
  len = b.len;
  for (size_t i = 0; cmdline != NULL && i < len; i += strlen (cmdline + i) + 1)
    {
      const char *arg = cmdline + i;
      size_t next = i + strlen (arg) + 1;
      if ((strcmp (arg, "-n") == 0 || strcmp (arg, "--name") == 0) && next < len)
        {
          h->engine_name = hr_xstrdup (cmdline + next);
          return;
        }
      if (strncmp (arg, "--name=", 7) == 0)
        {
          h->engine_name = hr_xstrdup (arg + 7);
          return;
        }
    }
}

/* Docker binds <data-root>/containers/<id>/hostname into each container and
 * keeps the container's name in config.v2.json beside it. */
static void
probe_docker_name (struct host_facts *h, const char *source)
{
  const char *slash = source ? strrchr (source, '/') : NULL;
  cleanup_free char *path = NULL;
  cleanup_free char *raw = NULL;
  cleanup_json struct json *cfg = NULL;
  struct stat st;
  struct hr_error err;
  size_t len;
  const char *name;

  if (h->engine_name != NULL || slash == NULL || strcmp (slash, "/hostname") != 0
      || strstr (source, "/containers/") == NULL)
    return;
  path = hr_xasprintf ("%.*s/config.v2.json", (int) (slash - source), source);
  if (spec_read_file (AT_FDCWD, path, &raw, &len, &st, &err) < 0
      || json_parse (raw, len, 0, &cfg, &err) < 0)
    return;
  name = json_string (json_object_get (cfg, "Name"));
  if (name != NULL)
    h->engine_name = hr_xstrdup (name[0] == '/' ? name + 1 : name);
  /* who the workload is, for its learned profile: never a security decision */
  name = json_string (json_object_get (cfg, "Image"));
  if (name != NULL && h->engine_image_id == NULL)
    h->engine_image_id = hr_xstrdup (name);
  name = json_string (json_object_get (json_object_get (cfg, "Config"), "Image"));
  if (name != NULL && h->engine_image == NULL)
    h->engine_image = hr_xstrdup (name);
}

static void
probe_host_ns (struct host_facts *h, int type)
{
  char path[64];

  snprintf (path, sizeof path, "/proc/1/ns/%s", ns_names[type].proc);
  identify (path, &h->host_ns[type]);
  /* Where init's namespaces cannot be read (some VMs' init restricts
   * /proc/1), hardrun's own are the host's: engines run the runtime in
   * the host's namespaces. */
  if (!h->host_ns[type].known)
    {
      snprintf (path, sizeof path, "/proc/self/ns/%s", ns_names[type].proc);
      identify (path, &h->host_ns[type]);
    }
}

void
host_facts_probe_spec (struct host_facts *h, const struct json *spec)
{
  const struct json *ns = spec_get_path (spec, "linux", "namespaces", NULL);
  const struct json *mounts = spec_get (spec, "mounts");

  const struct json *hooks = spec_get (spec, "hooks");
  cleanup_path_walk struct path_walk walk = { 0 };

  probe_conmon_name (h);
  cgroup_probe (&h->cgroup, json_string (spec_get_path (spec, "linux", "cgroupsPath", NULL)), h->systemd_cgroup);
  {
    const char *root = json_string (spec_get_path (spec, "root", "path", NULL));
    const struct path_fact *f;
    add_path (h, &walk, root, true, true);
    f = root ? host_facts_path (h, root) : NULL;
    /* inside the bundle the rootfs control needs no more */
    h->root_is_overlay_mount = f != NULL && f->id.known && f->resolved != NULL
                               && !(h->bundle != NULL && path_is_within (f->resolved, h->bundle))
                               && is_overlay_mount (f->resolved);
  }
  for (size_t k = 0; json_is (hooks, JSON_OBJECT) && k < hooks->obj.len; k++)
    {
      const struct json *list = hooks->obj.members[k].value;
      for (size_t i = 0; json_is (list, JSON_ARRAY) && i < list->arr.len; i++)
        add_path (h, &walk, json_string (spec_get (list->arr.items[i], "path")), true, false);
    }
  for (size_t i = 0; json_is (ns, JSON_ARRAY) && i < ns->arr.len; i++)
    {
      const char *path = json_string (spec_get (ns->arr.items[i], "path"));
      int type = host_ns_from_type (json_string (spec_get (ns->arr.items[i], "type")));

      if (path == NULL)
        continue;
      add_path (h, &walk, path, false, false);
      /* the host's namespace of that type, only where a path could join it */
      if (type >= 0 && !h->host_ns[type].known)
        probe_host_ns (h, type);
    }
  for (size_t i = 0; json_is (mounts, JSON_ARRAY) && i < mounts->arr.len; i++)
    {
      const struct json *m = mounts->arr.items[i];
      const char *source = json_string (spec_get (m, "source"));
      /* bind sources are host paths the host_mounts control judges,
       * relative or not */
      bool bind = spec_mount_is_bind (m) || source == NULL || source[0] == '/';
      if (bind)
        add_path (h, &walk, source, true, true);
      probe_docker_name (h, source);
    }
}

/* dir inside the root at rootfd, resolved as if rootfd were "/" (symlinks
 * stay inside, as runc's securejoin keeps them). */
static int
present_in_root (int rootfd, struct rootfs_dir *d)
{
  struct open_how how = { .flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
                          .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
  const char *rel = d->path;
  struct stat st;
  struct dirent *e;
  DIR *dir;
  int fd;

  while (*rel == '/')
    rel++;
  fd = (int) syscall (SYS_openat2, rootfd, *rel ? rel : ".", &how, sizeof how);
  if (fd < 0)
    return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
  {
    struct open_how strict = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS };
    int plain = (int) syscall (SYS_openat2, rootfd, *rel ? rel : ".", &strict, sizeof strict);
    d->via_symlink = plain < 0 && errno == ELOOP;
    if (plain >= 0)
      close (plain);
  }
  dir = fdopendir (fd);
  if (dir == NULL || fstat (fd, &st) < 0)
    {
      if (dir != NULL)
        closedir (dir);
      else
        close (fd);
      return -1;
    }
  d->uid = st.st_uid;
  d->gid = st.st_gid;
  d->empty = true;
  while (d->empty && (e = readdir (dir)) != NULL)
    d->empty = strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0;
  closedir (dir);
  return 1;
}

static void
release_rootfs_dirs (struct host_facts *h)
{
  for (size_t i = 0; i < h->n_rootfs_dirs; i++)
    free (h->rootfs_dirs[i].path);
  free (h->rootfs_dirs);
  h->rootfs_dirs = NULL;
  h->n_rootfs_dirs = 0;
}

/* The config's root as host_facts_probe_spec found it, or -1. */
static int
open_root (const struct host_facts *h, const struct json *spec)
{
  const char *root = json_string (spec_get_path (spec, "root", "path", NULL));
  const struct path_fact *f = root ? host_facts_path (h, root) : NULL;

  return f && f->id.known ? open (f->resolved, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
}

void
host_facts_probe_rootfs_tree (struct host_facts *h, const struct json *spec, const struct rootfs_query *q)
{
  cleanup_close int rootfd = open_root (h, spec);

  rootfs_tree_probe (&h->rootfs_tree, rootfd, q);
}

void
host_facts_probe_rootfs (struct host_facts *h, const struct json *spec, char *const *dirs, size_t n)
{
  cleanup_close int rootfd = open_root (h, spec);

  release_rootfs_dirs (h);
  h->rootfs_dirs = hr_xcalloc (n ? n : 1, sizeof *h->rootfs_dirs);
  h->n_rootfs_dirs = n;
  for (size_t i = 0; i < n; i++)
    {
      h->rootfs_dirs[i].path = path_clean (dirs[i]);
      h->rootfs_dirs[i].present = rootfd >= 0 ? present_in_root (rootfd, &h->rootfs_dirs[i]) : -1;
    }
}

const struct rootfs_dir *
host_facts_rootfs_dir (const struct host_facts *h, const char *dir)
{
  for (size_t i = 0; i < h->n_rootfs_dirs; i++)
    if (strcmp (h->rootfs_dirs[i].path, dir) == 0)
      return &h->rootfs_dirs[i];
  return NULL;
}

int
host_facts_rootfs_has (const struct host_facts *h, const char *dir)
{
  const struct rootfs_dir *d = host_facts_rootfs_dir (h, dir);
  return d ? d->present : -1;
}

#define DEFAULT_PROCESS_CONTEXT "system_u:system_r:container_t:s0"
#define DEFAULT_FILE_CONTEXT "system_u:object_r:container_file_t:s0"

#ifdef HAVE_APPARMOR
/* Is `name` among the profiles loaded in the kernel? */
static bool
apparmor_profile_loaded (const char *name)
{
  cleanup_free char *mnt = NULL;
  cleanup_free char *path = NULL;
  cleanup_fclose FILE *f = NULL;
  char line[1024];
  size_t n = strlen (name);

  if (aa_find_mountpoint (&mnt) < 0)
    return false;
  path = hr_xasprintf ("%s/profiles", mnt);
  f = fopen (path, "re");
  while (f != NULL && fgets (line, sizeof line, f) != NULL)
    /* "<name> (enforce)" */
    if (strncmp (line, name, n) == 0 && line[n] == ' ')
      return true;
  return false;
}
#endif

#ifdef HAVE_SELINUX
/* The container contexts libselinux names (lxc_contexts: process = "...",
 * file = "..."). */
static void
selinux_container_contexts (struct lsm_facts *l)
{
  const char *path = selinux_lxc_contexts_path ();
  cleanup_fclose FILE *f = path ? fopen (path, "re") : NULL;
  char line[512];

  while (f != NULL && fgets (line, sizeof line, f) != NULL)
    {
      char key[32], value[256];
      if (sscanf (line, " %31[a-z_] = \"%255[^\"]\"", key, value) != 2)
        continue;
      if (strcmp (key, "process") == 0)
        snprintf (l->selinux_process, sizeof l->selinux_process, "%s", value);
      else if (strcmp (key, "file") == 0)
        snprintf (l->selinux_file, sizeof l->selinux_file, "%s", value);
    }
}
#endif

void
host_facts_probe_lsm (struct host_facts *h, const char *apparmor_profile)
{
  struct lsm_facts *l = &h->lsm;

  memset (l, 0, sizeof *l);
  snprintf (l->selinux_process, sizeof l->selinux_process, "%s", DEFAULT_PROCESS_CONTEXT);
  snprintf (l->selinux_file, sizeof l->selinux_file, "%s", DEFAULT_FILE_CONTEXT);
  mcs_allocator_preview (&l->mcs, NULL);
#ifdef HAVE_APPARMOR
  l->apparmor_enabled = aa_is_enabled () == 1;
  l->apparmor_profile_loaded = l->apparmor_enabled && apparmor_profile != NULL
                               && apparmor_profile_loaded (apparmor_profile);
#else
  (void) apparmor_profile;
#endif
#ifdef HAVE_SELINUX
  l->selinux_enabled = is_selinux_enabled () == 1;
  if (l->selinux_enabled)
    {
      l->selinux_enforcing = security_getenforce () == 1;
      selinux_container_contexts (l);
    }
#endif
}

int
host_facts_assume_lsm (struct host_facts *h, const char *lsm, struct hr_error *err)
{
  struct lsm_facts *l = &h->lsm;

  memset (l, 0, sizeof *l);
  snprintf (l->selinux_process, sizeof l->selinux_process, "%s", DEFAULT_PROCESS_CONTEXT);
  snprintf (l->selinux_file, sizeof l->selinux_file, "%s", DEFAULT_FILE_CONTEXT);
  mcs_allocator_preview (&l->mcs, NULL);
  if (strcmp (lsm, "apparmor") == 0)
    l->apparmor_enabled = l->apparmor_profile_loaded = true;
  else if (strcmp (lsm, "selinux") == 0)
    l->selinux_enabled = l->selinux_enforcing = true;
  else if (strcmp (lsm, "none") != 0)
    return hr_error_set (err, 0, "--assume-lsm takes apparmor, selinux or none, not %s", lsm);
  l->assumed = lsm;
  return 0;
}

const struct path_fact *
host_facts_path (const struct host_facts *h, const char *path)
{
  for (size_t i = 0; i < h->n_paths; i++)
    if (strcmp (h->paths[i].path, path) == 0)
      return &h->paths[i];
  return NULL;
}

void
host_facts_probe_landlock (struct host_facts *h)
{
  /* the ABI version, asked as landlock(7) says; ENOSYS or EOPNOTSUPP: none */
  h->landlock_abi = (int) syscall (SYS_landlock_create_ruleset, NULL, 0, 1u /* VERSION */);
  if (h->landlock_abi < 0)
    h->landlock_abi = 0;
}

static bool
is_executable_file (const char *path)
{
  struct stat st;

  return stat (path, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 0111) && access (path, X_OK) == 0;
}

void
host_facts_probe_init (struct host_facts *h, const char *configured, bool look_beside_self)
{
  char self[PATH_MAX];
  ssize_t n;

  free (h->init_found);
  h->init_found = NULL;
  h->init_path = NULL;
  if (configured != NULL && is_executable_file (configured))
    h->init_found = hr_xstrdup (configured);
  else if (look_beside_self && (n = readlink ("/proc/self/exe", self, sizeof self - 1)) > 0)
    {
      self[n] = '\0';
      char *slash = strrchr (self, '/');
      if (slash != NULL)
        {
          *slash = '\0';
          cleanup_free char *beside = hr_xasprintf ("%s/hardrun-init", self);
          if (is_executable_file (beside))
            h->init_found = steal_pointer (&beside);
        }
    }
  h->init_path = h->init_found;
}

void
host_facts_release (struct host_facts *h)
{
  free (h->init_found);
  h->init_found = NULL;
  h->init_path = NULL;
  for (size_t i = 0; i < h->n_paths; i++)
    {
      free (h->paths[i].path);
      free (h->paths[i].resolved);
    }
  free (h->paths);
  h->paths = NULL;
  h->n_paths = 0;
  free (h->engine_name);
  h->engine_name = NULL;
  free (h->engine_image);
  h->engine_image = NULL;
  free (h->engine_image_id);
  h->engine_image_id = NULL;
  cgroup_fact_release (&h->cgroup);
  release_rootfs_dirs (h);
  rootfs_tree_release (&h->rootfs_tree);
}

int
host_facts_probe (struct host_facts *out, struct hr_error *err)
{
  memset (out, 0, sizeof *out);
  out->native_arch = seccomp_arch_native ();
  for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
    if (families[i].native == out->native_arch)
      {
        for (size_t j = 0; j < HOST_MAX_ARCHES && families[i].names[j]; j++)
          out->arches[out->n_arches++] = families[i].names[j];
        return 0;
      }
  return hr_error_set (err, 0, "unsupported host architecture (libseccomp token 0x%x)",
                       out->native_arch);
}
