/* linux.cgroupsPath resolved as runc 1.1 resolves it. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "host/cgroup.h"

static void
resolves (const char *path, bool systemd, const char *own, const char *want)
{
  char *dir = cgroup_resolve (path, systemd, own);
  if (want == NULL)
    assert_null (dir);
  else
    assert_string_equal (dir, want);
  free (dir);
}

static void
test_fs_driver (void **state)
{
  (void) state;
  resolves ("/docker/abc", false, "/x", "/docker/abc");
  /* relative: below runc's own cgroup */
  resolves ("kubepods/pod1/c1", false, "/system.slice/containerd.service", "/system.slice/containerd.service/kubepods/pod1/c1");
  /* cleaned as filepath.Join cleans it: a systemd-looking path is a name */
  resolves ("a.slice:b:/..", false, "/", "/");
  resolves ("/x/../../..", false, "/", "/");
}

static void
test_systemd_driver (void **state)
{
  (void) state;
  resolves ("system.slice:docker:abc", true, "/", "/system.slice/docker-abc.scope");
  resolves ("kubepods-burstable-pod1.slice:cri-containerd:c1", true, "/",
            "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/cri-containerd-c1.scope");
  resolves (":libpod:c1", true, "/", "/system.slice/libpod-c1.scope");
  resolves ("machine.slice::x.slice", true, "/", "/machine.slice/x.slice");
  /* not a unit name runc's systemd driver would make */
  resolves ("a.slice:b:/..", true, "/", NULL);
  resolves ("a.slice:b", true, "/", NULL);
  resolves ("notaslice:b:c", true, "/", NULL);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_fs_driver),
    cmocka_unit_test (test_systemd_driver),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
