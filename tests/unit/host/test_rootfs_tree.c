/* A container root's paths resolved as runc resolves them (the image's
 * symlinks followed inside the root, absolute ones too), and what running
 * a file of it opens, in a scratch tree. */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "tree_fixture.h"

#include "host/rootfs_tree.h"

static char top[64];

static void
link_to (const char *target, const char *rel)
{
  char p[160];
  snprintf (p, sizeof p, "%s/%s", top, rel);
  assert_int_equal (symlink (target, p), 0);
}

static int
make_tree (void **state)
{
  (void) state;
  strcpy (top, "/tmp/hardrun-tree.XXXXXX");
  if (mkdtemp (top) == NULL)
    return -1;
  tree_make (top, "etc", S_IFDIR | 0755);
  tree_make (top, "etc/ssl", S_IFDIR | 0755);
  tree_make (top, "etc/hosts", S_IFREG | 0644);
  tree_make (top, "etc/rc", S_IFREG | 0755);
  tree_make (top, "srv", S_IFDIR | 0755);
  tree_make (top, "srv/vol", S_IFDIR | 0755);
  link_to ("/srv", "lnk");       /* absolute: inside the root, not the host's /srv */
  link_to ("../../srv", "etc/up"); /* climbs no higher than the root */
  return 0;
}

static int
remove_tree (void **state)
{
  char cmd[128];
  (void) state;
  snprintf (cmd, sizeof cmd, "rm -rf %s", top);
  return system (cmd);
}

static void
test_resolved_inside_root (void **state)
{
  char *paths[] = { "/lnk/vol", "/etc/up/new/dir", "/etc//hosts", "/missing/x" };
  struct rootfs_tree t = { 0 };
  int rootfd = open (top, O_PATH | O_DIRECTORY);

  (void) state;
  rootfs_tree_probe (&t, rootfd, &(struct rootfs_query){ .named = paths, .n_named = 4 });
  close (rootfd);
  assert_true (t.known);
  assert_string_equal (rootfs_tree_resolved (&t, "/lnk/vol"), "/srv/vol");
  assert_string_equal (rootfs_tree_resolved (&t, "/etc/up/new/dir"), "/srv/new/dir");
  assert_string_equal (rootfs_tree_resolved (&t, "/etc/hosts"), "/etc/hosts"); /* asked for cleaned */
  assert_string_equal (rootfs_tree_resolved (&t, "/missing/x"), "/missing/x");
  assert_null (rootfs_tree_resolved (&t, "/never/asked"));
  rootfs_tree_release (&t);
}

/* What running a file opens: a script's interpreter, and that ELF's
 * loader (read from a real binary's PT_INTERP). */
static void
test_exec_interpreters (void **state)
{
  char *execs[] = { "/run.sh", "/missing", "/bin//tool" };
  struct rootfs_tree t = { 0 };
  char p[160], cmd[400], interp[256] = "";
  const struct rootfs_exec *e;
  FILE *f;
  int rootfd;

  (void) state;
  f = popen ("readelf -l /bin/true | sed -n 's/.*interpreter: \\(.*\\)]/\\1/p'", "r");
  assert_non_null (f);
  assert_non_null (fgets (interp, sizeof interp, f));
  pclose (f);
  interp[strcspn (interp, "\n")] = '\0';
  tree_make (top, "bin", S_IFDIR | 0755);
  snprintf (cmd, sizeof cmd, "cp /bin/true %s/bin/tool && mkdir -p %s$(dirname %s) && touch %s%s", top, top, interp,
            top, interp);
  assert_int_equal (system (cmd), 0);
  snprintf (p, sizeof p, "%s/run.sh", top);
  f = fopen (p, "w");
  assert_non_null (f);
  fputs ("#! /bin/tool -x\necho\n", f);
  fclose (f);
  rootfd = open (top, O_PATH | O_DIRECTORY);
  rootfs_tree_probe (&t, rootfd, &(struct rootfs_query){ .execs = execs, .n_execs = 3 });
  close (rootfd);
  e = rootfs_tree_exec (&t, "/run.sh");
  assert_non_null (e);
  assert_int_equal (e->n_files, 3);
  assert_string_equal (e->files[0], "/run.sh");
  assert_string_equal (e->files[1], "/bin/tool");
  assert_string_equal (e->files[2], interp);
  e = rootfs_tree_exec (&t, "/missing");
  assert_non_null (e);
  assert_int_equal (e->n_files, 0); /* nothing of the image to run */
  e = rootfs_tree_exec (&t, "/bin/tool"); /* asked for cleaned */
  assert_non_null (e);
  assert_int_equal (e->n_files, 2);
  rootfs_tree_release (&t);
}

static void
test_no_root (void **state)
{
  char *paths[] = { "/etc" };
  struct rootfs_tree t = { 0 };

  (void) state;
  rootfs_tree_probe (&t, -1, &(struct rootfs_query){ .named = paths, .n_named = 1 });
  assert_false (t.known);
  assert_null (rootfs_tree_resolved (&t, "/etc"));
  rootfs_tree_release (&t);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_resolved_inside_root),
    cmocka_unit_test (test_exec_interpreters),
    cmocka_unit_test (test_no_root),
  };
  return cmocka_run_group_tests (tests, make_tree, remove_tree);
}
