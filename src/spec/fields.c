#include "config.h"
#include "spec/fields.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

const struct spec_field spec_fields[] = {
  { "annotations{}", "annotations" },
  { "hooks", "hooks" },
  { "hooks.createContainer[]", "hooks" },
  { "hooks.createContainer[].args[]", "hooks" },
  { "hooks.createContainer[].env[]", "hooks" },
  { "hooks.createContainer[].path", "hooks" },
  { "hooks.createContainer[].timeout", "hooks" },
  { "hooks.createRuntime[]", "hooks" },
  { "hooks.createRuntime[].args[]", "hooks" },
  { "hooks.createRuntime[].env[]", "hooks" },
  { "hooks.createRuntime[].path", "hooks" },
  { "hooks.createRuntime[].timeout", "hooks" },
  { "hooks.poststart[]", "hooks" },
  { "hooks.poststart[].args[]", "hooks" },
  { "hooks.poststart[].env[]", "hooks" },
  { "hooks.poststart[].path", "hooks" },
  { "hooks.poststart[].timeout", "hooks" },
  { "hooks.poststop[]", "hooks" },
  { "hooks.poststop[].args[]", "hooks" },
  { "hooks.poststop[].env[]", "hooks" },
  { "hooks.poststop[].path", "hooks" },
  { "hooks.poststop[].timeout", "hooks" },
  { "hooks.prestart[]", "hooks" },
  { "hooks.prestart[].args[]", "hooks" },
  { "hooks.prestart[].env[]", "hooks" },
  { "hooks.prestart[].path", "hooks" },
  { "hooks.prestart[].timeout", "hooks" },
  { "hooks.startContainer[]", "hooks" },
  { "hooks.startContainer[].args[]", "hooks" },
  { "hooks.startContainer[].env[]", "hooks" },
  { "hooks.startContainer[].path", "hooks" },
  { "hooks.startContainer[].timeout", "hooks" },
  { "hostname", "host_namespaces" },
  { "linux", "inert: the section itself; each field below has its owner" },
  { "linux.cgroupsPath", "cgroups" },
  { "linux.devices[]", "privileged" },
  { "linux.devices[].fileMode", "privileged" },
  { "linux.devices[].gid", "privileged" },
  { "linux.devices[].major", "privileged" },
  { "linux.devices[].minor", "privileged" },
  { "linux.devices[].path", "privileged" },
  { "linux.devices[].type", "privileged" },
  { "linux.devices[].uid", "privileged" },
  { "linux.gidMappings[]", "user" },
  { "linux.gidMappings[].containerID", "user" },
  { "linux.gidMappings[].hostID", "user" },
  { "linux.gidMappings[].size", "user" },
  { "linux.intelRdt", "resources" },
  { "linux.intelRdt.closID", "resources" },
  { "linux.intelRdt.l3CacheSchema", "resources" },
  { "linux.intelRdt.memBwSchema", "resources" },
  { "linux.maskedPaths[]", "masked_paths" },
  { "linux.mountLabel", "selinux" },
  { "linux.namespaces[]", "host_namespaces" },
  { "linux.namespaces[].path", "host_namespaces" },
  { "linux.namespaces[].type", "host_namespaces" },
  { "linux.personality", "inert: the process's execution domain, which the seccomp profile already limits" },
  { "linux.personality.domain", "inert: the process's execution domain, which the seccomp profile already limits" },
  { "linux.personality.flags[]", "inert: the process's execution domain, which the seccomp profile already limits" },
  { "linux.readonlyPaths[]", "masked_paths" },
  { "linux.resources", "resources" },
  { "linux.resources.blockIO", "resources" },
  { "linux.resources.blockIO.leafWeight", "resources" },
  { "linux.resources.blockIO.throttleReadBpsDevice[]", "resources" },
  { "linux.resources.blockIO.throttleReadBpsDevice[].major", "resources" },
  { "linux.resources.blockIO.throttleReadBpsDevice[].minor", "resources" },
  { "linux.resources.blockIO.throttleReadBpsDevice[].rate", "resources" },
  { "linux.resources.blockIO.throttleReadIOPSDevice[]", "resources" },
  { "linux.resources.blockIO.throttleReadIOPSDevice[].major", "resources" },
  { "linux.resources.blockIO.throttleReadIOPSDevice[].minor", "resources" },
  { "linux.resources.blockIO.throttleReadIOPSDevice[].rate", "resources" },
  { "linux.resources.blockIO.throttleWriteBpsDevice[]", "resources" },
  { "linux.resources.blockIO.throttleWriteBpsDevice[].major", "resources" },
  { "linux.resources.blockIO.throttleWriteBpsDevice[].minor", "resources" },
  { "linux.resources.blockIO.throttleWriteBpsDevice[].rate", "resources" },
  { "linux.resources.blockIO.throttleWriteIOPSDevice[]", "resources" },
  { "linux.resources.blockIO.throttleWriteIOPSDevice[].major", "resources" },
  { "linux.resources.blockIO.throttleWriteIOPSDevice[].minor", "resources" },
  { "linux.resources.blockIO.throttleWriteIOPSDevice[].rate", "resources" },
  { "linux.resources.blockIO.weight", "resources" },
  { "linux.resources.blockIO.weightDevice[]", "resources" },
  { "linux.resources.blockIO.weightDevice[].leafWeight", "resources" },
  { "linux.resources.blockIO.weightDevice[].major", "resources" },
  { "linux.resources.blockIO.weightDevice[].minor", "resources" },
  { "linux.resources.blockIO.weightDevice[].weight", "resources" },
  { "linux.resources.cpu", "resources" },
  { "linux.resources.cpu.cpus", "resources" },
  { "linux.resources.cpu.mems", "resources" },
  { "linux.resources.cpu.period", "resources" },
  { "linux.resources.cpu.quota", "resources" },
  { "linux.resources.cpu.realtimePeriod", "resources" },
  { "linux.resources.cpu.realtimeRuntime", "resources" },
  { "linux.resources.cpu.shares", "resources" },
  { "linux.resources.devices[]", "privileged" },
  { "linux.resources.devices[].access", "privileged" },
  { "linux.resources.devices[].allow", "privileged" },
  { "linux.resources.devices[].major", "privileged" },
  { "linux.resources.devices[].minor", "privileged" },
  { "linux.resources.devices[].type", "privileged" },
  { "linux.resources.hugepageLimits[]", "resources" },
  { "linux.resources.hugepageLimits[].limit", "resources" },
  { "linux.resources.hugepageLimits[].pageSize", "resources" },
  { "linux.resources.memory", "resources" },
  { "linux.resources.memory.disableOOMKiller", "resources" },
  { "linux.resources.memory.kernel", "resources" },
  { "linux.resources.memory.kernelTCP", "resources" },
  { "linux.resources.memory.limit", "resources" },
  { "linux.resources.memory.reservation", "resources" },
  { "linux.resources.memory.swap", "resources" },
  { "linux.resources.memory.swappiness", "resources" },
  { "linux.resources.memory.useHierarchy", "resources" },
  { "linux.resources.network", "resources" },
  { "linux.resources.network.classID", "resources" },
  { "linux.resources.network.priorities[]", "resources" },
  { "linux.resources.network.priorities[].name", "resources" },
  { "linux.resources.network.priorities[].priority", "resources" },
  { "linux.resources.pids", "resources" },
  { "linux.resources.pids.limit", "resources" },
  { "linux.resources.rdma{}", "resources" },
  { "linux.resources.rdma{}.hcaHandles", "resources" },
  { "linux.resources.rdma{}.hcaObjects", "resources" },
  { "linux.resources.unified{}", "resources" },
  { "linux.rootfsPropagation", "host_mounts" },
  { "linux.seccomp", "seccomp" },
  { "linux.seccomp.architectures[]", "seccomp" },
  { "linux.seccomp.defaultAction", "seccomp" },
  { "linux.seccomp.defaultErrnoRet", "seccomp" },
  { "linux.seccomp.flags[]", "seccomp" },
  { "linux.seccomp.listenerMetadata", "seccomp" },
  { "linux.seccomp.listenerPath", "seccomp" },
  { "linux.seccomp.syscalls[]", "seccomp" },
  { "linux.seccomp.syscalls[].action", "seccomp" },
  { "linux.seccomp.syscalls[].args[]", "seccomp" },
  { "linux.seccomp.syscalls[].args[].index", "seccomp" },
  { "linux.seccomp.syscalls[].args[].op", "seccomp" },
  { "linux.seccomp.syscalls[].args[].value", "seccomp" },
  { "linux.seccomp.syscalls[].args[].valueTwo", "seccomp" },
  { "linux.seccomp.syscalls[].errnoRet", "seccomp" },
  { "linux.seccomp.syscalls[].names[]", "seccomp" },
  { "linux.sysctl{}", "sysctls" },
  { "linux.uidMappings[]", "user" },
  { "linux.uidMappings[].containerID", "user" },
  { "linux.uidMappings[].hostID", "user" },
  { "linux.uidMappings[].size", "user" },
  { "mounts[]", "mount_types" },
  { "mounts[].destination", "mount_types" },
  { "mounts[].options[]", "mount_types" },
  { "mounts[].source", "host_mounts" },
  { "mounts[].type", "mount_types" },
  { "ociVersion", "inert: runc records it and checks nothing against it" },
  { "process", "inert: the section itself; each field below has its owner" },
  { "process.apparmorProfile", "apparmor" },
  { "process.args[]", "inert: the command the container runs, inside its own limits" },
  { "process.capabilities", "capabilities" },
  { "process.capabilities.ambient[]", "capabilities" },
  { "process.capabilities.bounding[]", "capabilities" },
  { "process.capabilities.effective[]", "capabilities" },
  { "process.capabilities.inheritable[]", "capabilities" },
  { "process.capabilities.permitted[]", "capabilities" },
  { "process.commandLine", "inert: Windows only; runc on Linux does not read it" },
  { "process.consoleSize", "inert: the size of the container's own terminal" },
  { "process.consoleSize.height", "inert: the size of the container's own terminal" },
  { "process.consoleSize.width", "inert: the size of the container's own terminal" },
  { "process.cwd", "inert: a directory inside the container" },
  { "process.env[]", "env_secrets" },
  { "process.noNewPrivileges", "no_new_privileges" },
  { "process.oomScoreAdj", "resources" },
  { "process.rlimits[]", "resources" },
  { "process.rlimits[].hard", "resources" },
  { "process.rlimits[].soft", "resources" },
  { "process.rlimits[].type", "resources" },
  { "process.selinuxLabel", "selinux" },
  { "process.terminal", "inert: whether the container gets a terminal of its own" },
  { "process.user", "user" },
  { "process.user.additionalGids[]", "user" },
  { "process.user.gid", "user" },
  { "process.user.uid", "user" },
  { "process.user.umask", "user" },
  { "process.user.username", "user" },
  { "root", "rootfs" },
  { "root.path", "rootfs" },
  { "root.readonly", "readonly_rootfs" },
  { "solaris", "inert: Solaris only; runc on Linux does not read it" },
  { "solaris.anet[]", "inert: Solaris only; runc on Linux does not read it" },
  { "solaris.anet[].allowedAddress", "inert: Solaris only; runc on Linux does not read it" },
  { "solaris.anet[].configureAllowedAddress", "inert: Solaris only; runc on Linux does not read it" },
  { "solaris.anet[].defrouter", "inert: Solaris only; runc on Linux does not read it" },
  { "solaris.anet[].linkProtection", "inert: Solaris only; runc on Linux does not read it" },
  { "solaris.anet[].linkname", "inert: Solaris only; runc on Linux does not read it" },
  { "solaris.anet[].lowerLink", "inert: Solaris only; runc on Linux does not read it" },
  { "solaris.anet[].macAddress", "inert: Solaris only; runc on Linux does not read it" },
  { "solaris.cappedCPU", "inert: Solaris only; runc on Linux does not read it" },
  { "solaris.cappedCPU.ncpus", "inert: Solaris only; runc on Linux does not read it" },
  { "solaris.cappedMemory", "inert: Solaris only; runc on Linux does not read it" },
  { "solaris.cappedMemory.physical", "inert: Solaris only; runc on Linux does not read it" },
  { "solaris.cappedMemory.swap", "inert: Solaris only; runc on Linux does not read it" },
  { "solaris.limitpriv", "inert: Solaris only; runc on Linux does not read it" },
  { "solaris.maxShmMemory", "inert: Solaris only; runc on Linux does not read it" },
  { "solaris.milestone", "inert: Solaris only; runc on Linux does not read it" },
  { "vm", "inert: virtual-machine runtimes only; runc does not read it" },
  { "vm.hypervisor", "inert: virtual-machine runtimes only; runc does not read it" },
  { "vm.hypervisor.parameters[]", "inert: virtual-machine runtimes only; runc does not read it" },
  { "vm.hypervisor.path", "inert: virtual-machine runtimes only; runc does not read it" },
  { "vm.image", "inert: virtual-machine runtimes only; runc does not read it" },
  { "vm.image.format", "inert: virtual-machine runtimes only; runc does not read it" },
  { "vm.image.path", "inert: virtual-machine runtimes only; runc does not read it" },
  { "vm.kernel", "inert: virtual-machine runtimes only; runc does not read it" },
  { "vm.kernel.initrd", "inert: virtual-machine runtimes only; runc does not read it" },
  { "vm.kernel.parameters[]", "inert: virtual-machine runtimes only; runc does not read it" },
  { "vm.kernel.path", "inert: virtual-machine runtimes only; runc does not read it" },
  { "windows", "inert: Windows only; runc on Linux does not read it" },
  { "windows.credentialSpec", "inert: Windows only; runc on Linux does not read it" },
  { "windows.devices[]", "inert: Windows only; runc on Linux does not read it" },
  { "windows.devices[].id", "inert: Windows only; runc on Linux does not read it" },
  { "windows.devices[].idType", "inert: Windows only; runc on Linux does not read it" },
  { "windows.hyperv", "inert: Windows only; runc on Linux does not read it" },
  { "windows.hyperv.utilityVMPath", "inert: Windows only; runc on Linux does not read it" },
  { "windows.ignoreFlushesDuringBoot", "inert: Windows only; runc on Linux does not read it" },
  { "windows.layerFolders[]", "inert: Windows only; runc on Linux does not read it" },
  { "windows.network", "inert: Windows only; runc on Linux does not read it" },
  { "windows.network.DNSSearchList[]", "inert: Windows only; runc on Linux does not read it" },
  { "windows.network.allowUnqualifiedDNSQuery", "inert: Windows only; runc on Linux does not read it" },
  { "windows.network.endpointList[]", "inert: Windows only; runc on Linux does not read it" },
  { "windows.network.networkNamespace", "inert: Windows only; runc on Linux does not read it" },
  { "windows.network.networkSharedContainerName", "inert: Windows only; runc on Linux does not read it" },
  { "windows.resources", "inert: Windows only; runc on Linux does not read it" },
  { "windows.resources.cpu", "inert: Windows only; runc on Linux does not read it" },
  { "windows.resources.cpu.count", "inert: Windows only; runc on Linux does not read it" },
  { "windows.resources.cpu.maximum", "inert: Windows only; runc on Linux does not read it" },
  { "windows.resources.cpu.shares", "inert: Windows only; runc on Linux does not read it" },
  { "windows.resources.memory", "inert: Windows only; runc on Linux does not read it" },
  { "windows.resources.memory.limit", "inert: Windows only; runc on Linux does not read it" },
  { "windows.resources.storage", "inert: Windows only; runc on Linux does not read it" },
  { "windows.resources.storage.bps", "inert: Windows only; runc on Linux does not read it" },
  { "windows.resources.storage.iops", "inert: Windows only; runc on Linux does not read it" },
  { "windows.resources.storage.sandboxSize", "inert: Windows only; runc on Linux does not read it" },
  { "windows.servicing", "inert: Windows only; runc on Linux does not read it" },

};
const size_t spec_fields_count = sizeof spec_fields / sizeof spec_fields[0];

static size_t
lower_bound (const char *key)
{
  size_t lo = 0, hi = spec_fields_count;

  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      if (strcmp (spec_fields[mid].path, key) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

const struct spec_field *
spec_field_find (const char *path)
{
  size_t i = lower_bound (path);
  return i < spec_fields_count && strcmp (spec_fields[i].path, path) == 0 ? &spec_fields[i] : NULL;
}

/* The table as a tree, built once per walk: where each field's subtree
 * ends, and its own name (what follows its parent's path and "."). */
struct field_tree
{
  size_t end[sizeof spec_fields / sizeof spec_fields[0]];
  size_t name_at[sizeof spec_fields / sizeof spec_fields[0]];
  size_t name_len[sizeof spec_fields / sizeof spec_fields[0]];
};

static bool
is_parent (const char *parent, const char *path)
{
  size_t n = strlen (parent);
  return strncmp (parent, path, n) == 0 && path[n] == '.';
}

static void
build_tree (struct field_tree *t)
{
  size_t stack[16], depth = 0;

  for (size_t i = 0; i <= spec_fields_count; i++)
    {
      while (depth > 0 && (i == spec_fields_count || !is_parent (spec_fields[stack[depth - 1]].path, spec_fields[i].path)))
        t->end[stack[--depth]] = i;
      if (i == spec_fields_count)
        break;
      t->name_at[i] = depth > 0 ? strlen (spec_fields[stack[depth - 1]].path) + 1 : 0;
      t->name_len[i] = strcspn (spec_fields[i].path + t->name_at[i], "[{");
      if (depth < sizeof stack / sizeof stack[0])
        stack[depth++] = i;
    }
}

/* The child of the field at `parent` (SIZE_MAX: the root) named key, as Go
 * matches names: exactly, or else folded. SIZE_MAX when none. */
static size_t
find_child (const struct field_tree *t, size_t parent, const char *key, size_t key_len)
{
  size_t first = parent == SIZE_MAX ? 0 : parent + 1;
  size_t last = parent == SIZE_MAX ? spec_fields_count : t->end[parent];

  for (size_t j = first; j < last; j = t->end[j])
    if (t->name_len[j] == key_len && memcmp (spec_fields[j].path + t->name_at[j], key, key_len) == 0)
      return j;
  for (size_t j = first; j < last; j = t->end[j])
    {
      char name[64];
      size_t n = t->name_len[j] < sizeof name - 1 ? t->name_len[j] : sizeof name - 1;
      memcpy (name, spec_fields[j].path + t->name_at[j], n);
      name[n] = '\0';
      if (json_key_folds_to (key, key_len, name))
        return j;
    }
  return SIZE_MAX;
}

static bool walk (const struct field_tree *t, const struct json *obj, size_t at, char *buf, size_t len);

/* A member's value at field f: the structs in it, walked. */
static bool
walk_value (const struct field_tree *t, const struct json *v, size_t f, char *buf, size_t len)
{
  const char *path = spec_fields[f].path;
  size_t plen = strlen (path);
  bool elems = plen > 2 && (strcmp (path + plen - 2, "[]") == 0 || strcmp (path + plen - 2, "{}") == 0);

  if (t->end[f] == f + 1)
    return false; /* a scalar, or a list or map of scalars */
  if (!elems)
    return json_is (v, JSON_OBJECT) && walk (t, v, f, buf, len);
  if (json_is (v, JSON_ARRAY))
    {
      for (size_t i = 0; i < v->arr.len; i++)
        if (json_is (v->arr.items[i], JSON_OBJECT) && walk (t, v->arr.items[i], f, buf, len))
          return true;
    }
  else if (json_is (v, JSON_OBJECT))
    for (size_t i = 0; i < v->obj.len; i++)
      if (json_is (v->obj.members[i].value, JSON_OBJECT) && walk (t, v->obj.members[i].value, f, buf, len))
        return true;
  return false;
}

static bool
walk (const struct field_tree *t, const struct json *obj, size_t at, char *buf, size_t len)
{
  const char *path = at == SIZE_MAX ? "" : spec_fields[at].path;

  for (size_t i = 0; i < obj->obj.len; i++)
    {
      const struct json_member *m = &obj->obj.members[i];
      size_t f = find_child (t, at, m->key, m->key_len);
      if (f == SIZE_MAX)
        {
          snprintf (buf, len, "%s%s%.*s", path, path[0] ? "." : "", (int) m->key_len, m->key);
          return true;
        }
      if (walk_value (t, m->value, f, buf, len))
        return true;
    }
  return false;
}

bool
spec_unknown_field (const struct json *tree, const char *root, char *buf, size_t len)
{
  struct field_tree t;
  const struct spec_field *r = root[0] ? spec_field_find (root) : NULL;

  if (!json_is (tree, JSON_OBJECT) || (root[0] && r == NULL))
    return false;
  build_tree (&t);
  return walk (&t, tree, r ? (size_t) (r - spec_fields) : SIZE_MAX, buf, len);
}
