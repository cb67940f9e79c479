/* What the host offers, probed once per launch and handed to the controls:
 * no control reads /proc, /sys or the filesystem itself. */
#ifndef HARDRUN_HOSTFACTS_H
#define HARDRUN_HOSTFACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"
#include "host/cgroup.h"
#include "host/mcs.h"
#include "host/path_walk.h"
#include "host/rootfs_tree.h"
#include "spec/json.h"

#define HOST_MAX_ARCHES 4

enum host_ns
{
  HOST_NS_PID,
  HOST_NS_NETWORK,
  HOST_NS_IPC,
  HOST_NS_UTS,
  HOST_NS_MOUNT,
  HOST_NS_USER,
  HOST_NS_CGROUP,
  HOST_NS_TIME,
  HOST_NS_COUNT,
};

/* A path the config names (a namespace path, a bind source), as it is now. */
struct path_fact
{
  char *path;
  struct file_identity id; /* known: the path exists now */
  char *resolved; /* realpath; for a path that does not exist, that of its longest
                   * existing prefix with the rest appended */
};

/* The Linux security modules, as libapparmor and libselinux see them. */
struct lsm_facts
{
  bool apparmor_enabled;
  bool apparmor_profile_loaded; /* the profile the policy names */
  bool selinux_enabled;
  bool selinux_enforcing;
  char selinux_process[256]; /* the host's container process context */
  char selinux_file[256];    /* and its file context */
  struct mcs_allocator mcs;
  const char *assumed; /* "apparmor", "selinux" or "none" under --assume-lsm */
};

/* A directory of the container's root: present, absent, or unknown (no
 * root that can be opened). */
struct rootfs_dir
{
  char *path;
  int present; /* 1, 0, or -1 when unknown */
  uid_t uid;   /* its owner on the host, when present */
  gid_t gid;
  bool empty;  /* it holds nothing */
  bool via_symlink; /* the path passes a symlink of the image's on the way */
};

struct host_facts
{
  uint32_t native_arch;                   /* libseccomp's SCMP_ARCH_* token */
  const char *arches[HOST_MAX_ARCHES];    /* OCI names, native first */
  size_t n_arches;
  /* /proc/1/ns/<type>, else /proc/self/ns: probed by host_facts_probe_spec
     for the types the config names a path for */
  struct file_identity host_ns[HOST_NS_COUNT];
  struct path_fact *paths;
  size_t n_paths;
  struct lsm_facts lsm;
  char *engine_name; /* the engine's name for the container: podman's (from conmon's
                      * argv) or Docker's (from its config.v2.json) */
  char *engine_image;    /* Docker's image reference and ID ("sha256:..."), from */
  char *engine_image_id; /* the same config.v2.json */
  const char *bundle; /* the bundle's absolute path, set by the caller before
                       * host_facts_probe_spec: runc resolves relative paths there */
  bool root_is_overlay_mount; /* root.path is where an overlay filesystem is mounted, as
                               * engines mount each container's image */
  bool systemd_cgroup;      /* runc's --systemd-cgroup: set by the caller */
  /* directories a policy asks about in the container's root, as runc will
     find them there (host_facts_probe_rootfs) */
  struct rootfs_dir *rootfs_dirs;
  size_t n_rootfs_dirs;
  /* the paths a Landlock ruleset would name, resolved in the root, and the
     directories above them (host_facts_probe_rootfs_tree) */
  struct rootfs_tree rootfs_tree;
  struct cgroup_fact cgroup; /* the cgroup of linux.cgroupsPath */
  int landlock_abi;        /* the kernel's Landlock ABI, 0 without Landlock (or not probed) */
  const char *init_path;   /* hardrun-init on the host (host_facts_probe_init); NULL: not there */
  char *init_found;
  /* the container runc is asked to make, set by the caller: NULL in check */
  const char *container_id;
  const char *runc_root;
  /* what the learned store holds for this launch (src/learn/lookup.h),
     found by the caller once the profile is known */
  const struct learned_match *learned;
};

int host_facts_probe (struct host_facts *out, struct hr_error *err);
/* Probe the paths a config names: namespace paths (and the host's
 * namespace of each such type), bind mount sources and root.path (relative
 * ones in h->bundle), hook binaries, and the cgroup of linux.cgroupsPath. */
void host_facts_probe_spec (struct host_facts *h, const struct json *spec);
/* Whether each of `dirs` (absolute, inside the container) is in the
 * config's root now, resolved inside the root as runc resolves mount
 * destinations. */
void host_facts_probe_rootfs (struct host_facts *h, const struct json *spec, char *const *dirs, size_t n);
/* Probe the config's root for q (host/rootfs_tree.h). */
void host_facts_probe_rootfs_tree (struct host_facts *h, const struct json *spec, const struct rootfs_query *q);
/* 1, 0, or -1 (unknown, or not probed). */
int host_facts_rootfs_has (const struct host_facts *h, const char *dir);
/* The probed directory, or NULL. */
const struct rootfs_dir *host_facts_rootfs_dir (const struct host_facts *h, const char *dir);
/* Probe AppArmor and SELinux; `apparmor_profile` is the profile whose
 * presence matters. MCS pairs come from a preview until the caller
 * installs a real allocator. */
void host_facts_probe_lsm (struct host_facts *h, const char *apparmor_profile);
/* Decide as if the host had this LSM ("apparmor", "selinux", "none"). */
int host_facts_assume_lsm (struct host_facts *h, const char *lsm, struct hr_error *err);
/* hardrun-init on the host: `configured` when it is an executable file
 * there, else, when `look_beside_self` (the configuration names none), the
 * one beside this hardrun binary, as a build tree has it. */
void host_facts_probe_init (struct host_facts *h, const char *configured, bool look_beside_self);
/* The kernel's Landlock ABI, for a profile whose landlock control is on. */
void host_facts_probe_landlock (struct host_facts *h);
const struct path_fact *host_facts_path (const struct host_facts *h, const char *path);
void host_facts_release (struct host_facts *h);

/* HOST_NS_* for an OCI namespace type ("network"), -1 if unknown. */
int host_ns_from_type (const char *type);

/* The OCI name ("SCMP_ARCH_X86_64") of a libseccomp architecture token. */
const char *host_arch_name (uint32_t token);

#endif
