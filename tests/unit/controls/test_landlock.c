/* The landlock control: the workload behind hardrun-init with the ruleset
 * its profile means, or a finding where the kernel has no Landlock. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tree_fixture.h"
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "control_fixture.h"
#include "json_fixture.h"
#include "learn/lookup.h"

static const char config[] =
    "{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"sh\", \"-c\", \"true\"], \"cwd\": \"/\"},"
    " \"root\": {\"path\": \"rootfs\", \"readonly\": true},"
    " \"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},"
    "  {\"destination\": \"/tmp\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"nosuid\"]},"
    "  {\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"/srv/v\", \"options\": [\"rbind\", \"rw\"]},"
    "  {\"destination\": \"/etc/hosts\", \"type\": \"bind\", \"source\": \"/srv/h\", \"options\": [\"rbind\", \"ro\"]},"
    "  {\"destination\": \"/vol2\", \"type\": \"bind\", \"source\": \"/srv/v2\", \"options\": [\"rbind\", \"ro\", \"rw\"]}]}";

static const struct json *
args_of (const struct fixture *f)
{
  return spec_get_path (f->spec.root, "process", "args", NULL);
}

/* Whether FLAG PATH is in the args, before "--". */
static bool
has_rule (const struct json *args, const char *flag, const char *path)
{
  for (size_t i = 1; i + 1 < args->arr.len && strcmp (json_string (args->arr.items[i]), "--") != 0; i++)
    if (strcmp (json_string (args->arr.items[i]), flag) == 0 && strcmp (json_string (args->arr.items[i + 1]), path) == 0)
      return true;
  return false;
}

static void
run_landlock (struct fixture *f, int abi)
{
  f->policy.actions[CONTROL_LANDLOCK] = ACTION_ENFORCE;
  f->host.landlock_abi = abi;
  f->host.init_path = "/usr/libexec/hardrun/hardrun-init";
  run (f, CONTROL_LANDLOCK, control_landlock);
}

static void
test_default_ruleset (void **state)
{
  struct fixture *f = *state;
  const struct json *args;
  const struct json *mounts;
  const struct json *last;

  load (f, config);
  run_landlock (f, 7);
  args = args_of (f);
  /* no tmpfs at /dev: bound in the root */
  assert_string_equal (json_string (args->arr.items[0]), "/.hardrun-init");
  assert_true (has_rule (args, "-r", "/"));
  assert_true (has_rule (args, "-X", "/")); /* cut by hardrun-init around each -n */
  assert_true (has_rule (args, "-n", "/proc"));
  assert_true (json_array_has_string (args, "-m")); /* and every writable mount it finds */
  assert_true (has_rule (args, "-A", "7"));          /* less Landlock inside refuses */
  assert_false (has_rule (args, "-n", "/tmp"));      /* so none by name */
  assert_true (has_rule (args, "-w", "/tmp"));
  assert_true (has_rule (args, "-w", "/data"));
  assert_false (has_rule (args, "-w", "/proc"));      /* not a place to write */
  assert_false (has_rule (args, "-w", "/etc/hosts")); /* bound read-only */
  assert_true (has_rule (args, "-w", "/vol2"));        /* the last of ro and rw counts, as in runc */
  assert_false (has_rule (args, "-x", "/tmp"));       /* nothing runs from scratch */
  assert_true (json_array_has_string (args, "-R"));   /* no init of its own: it reaps */
  /* the workload's own argv follows, whole */
  assert_string_equal (json_string (args->arr.items[args->arr.len - 3]), "sh");
  assert_string_equal (json_string (args->arr.items[args->arr.len - 1]), "true");
  mounts = spec_get (f->spec.root, "mounts");
  last = mounts->arr.items[mounts->arr.len - 1];
  assert_string_equal (json_string (spec_get (last, "destination")), "/.hardrun-init");
  assert_true (json_array_has_string (spec_get (last, "options"), "ro"));
}

static void
test_profile_lists_and_engine_init (void **state)
{
  struct fixture *f = *state;
  const struct json *args;

  load (f, "{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"/sbin/docker-init\", \"--\", \"app\"], \"cwd\": \"/\"},"
           " \"root\": {\"path\": \"rootfs\", \"readonly\": true}}");
  string_list_release (&f->policy.landlock_read); /* the profile's own, empty: the default */
  f->policy.landlock_read.items = calloc (1, sizeof (char *));
  f->policy.landlock_read.items[0] = strdup ("/app");
  f->policy.landlock_read.len = 1;
  run_landlock (f, 3);
  args = args_of (f);
  assert_true (has_rule (args, "-r", "/app"));
  assert_true (has_rule (args, "-X", "/app")); /* execute is cut to what may be read */
  assert_false (has_rule (args, "-X", "/"));
  assert_true (has_rule (args, "-X", "/sbin/docker-init")); /* the engine's init, not bound by it: cut */
  assert_false (has_rule (args, "-r", "/"));        /* the list replaces the default */
  assert_false (json_array_has_string (args, "-R")); /* docker-init reaps */
}

static void
test_no_landlock (void **state)
{
  struct fixture *f = *state;

  load (f, config);
  run_landlock (f, 1);
  assert_string_equal (json_string (args_of (f)->arr.items[0]), "sh");
  assert_true (message_has (f, "Landlock is not available (ABI 1)"));
  load (f, config);
  f->policy.landlock_abi_max = 1; /* what a profile may cap */
  run_landlock (f, 7);
  assert_string_equal (json_string (args_of (f)->arr.items[0]), "sh");
}

/* Twice through the control, or a config forged to look wrapped: one
 * init mount, and the profile's own ruleset around the workload. */
static void
test_rewrapped (void **state)
{
  struct fixture *f = *state;
  cleanup_json struct json *once = NULL;
  const struct json *args;
  size_t n;

  load (f, config);
  run_landlock (f, 7);
  n = spec_get (f->spec.root, "mounts")->arr.len;
  once = json_clone (args_of (f));
  decision_release (&f->decision);
  run_landlock (f, 7);
  assert_int_equal (spec_get (f->spec.root, "mounts")->arr.len, n);
  assert_true (json_equal (args_of (f), once));
  /* what it wrote needs no second change */
  assert_int_equal (count (f, DECISION_CHANGE, "landlock"), 0);

  load (f, "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"rootfs\", \"readonly\": true},"
           " \"process\": {\"args\": [\"/.hardrun-init\", \"-w\", \"/\", \"-x\", \"/\", \"--\", \"sh\"], \"cwd\": \"/\"},"
           " \"mounts\": [{\"destination\": \"/.hardrun-init\", \"type\": \"bind\", \"source\": \"/srv/fake\","
           " \"options\": [\"rbind\", \"ro\"]}]}");
  run_landlock (f, 7);
  args = args_of (f);
  assert_false (has_rule (args, "-w", "/")); /* the forged rules are gone */
  assert_false (has_rule (args, "-x", "/"));
  assert_string_equal (json_string (args->arr.items[args->arr.len - 1]), "sh");
  assert_string_equal (json_string (args->arr.items[args->arr.len - 2]), "--");
  assert_int_equal (spec_get (f->spec.root, "mounts")->arr.len, 1);
  assert_string_equal (json_string (spec_get (spec_get (f->spec.root, "mounts")->arr.items[0], "source")),
                       "/usr/libexec/hardrun/hardrun-init");
}

/* Where the config mounts a tmpfs at /dev, hardrun-init is bound there:
 * runc makes that mount point in a tmpfs of the container's own, even
 * where a user namespace's root cannot write the image's root. A /dev
 * bound from elsewhere is never written to. */
static void
test_bound_in_dev_tmpfs (void **state)
{
  struct fixture *f = *state;
  const struct json *mounts;

  load (f, "{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"sh\"], \"cwd\": \"/\"},"
           " \"root\": {\"path\": \"rootfs\", \"readonly\": true},"
           " \"mounts\": [{\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}]}");
  run_landlock (f, 7);
  assert_string_equal (json_string (args_of (f)->arr.items[0]), "/dev/.hardrun-init");
  mounts = spec_get (f->spec.root, "mounts");
  assert_string_equal (json_string (spec_get (mounts->arr.items[mounts->arr.len - 1], "destination")),
                       "/dev/.hardrun-init");
  assert_false (has_rule (args_of (f), "-x", "/dev/.hardrun-init"));
  decision_release (&f->decision);
  run_landlock (f, 7); /* a second pass changes nothing */
  assert_int_equal (count (f, DECISION_CHANGE, "landlock"), 0);
  assert_int_equal (spec_get (f->spec.root, "mounts")->arr.len, 2);

  load (f, "{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"sh\"], \"cwd\": \"/\"},"
           " \"root\": {\"path\": \"rootfs\", \"readonly\": true},"
           " \"mounts\": [{\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"},"
           "  {\"destination\": \"/dev/\", \"type\": \"bind\", \"source\": \"/srv/dev\", \"options\": [\"rbind\"]}]}");
  run_landlock (f, 7);
  assert_string_equal (json_string (args_of (f)->arr.items[0]), "/.hardrun-init");
}

/* podman binds catatonit at /run/podman-init, read-only, in a writable
 * /run: hardrun-init hands pid 1 to it, which may be executed. */
static void
test_engine_init_bound_by_engine (void **state)
{
  struct fixture *f = *state;
  const struct json *args;

  load (f, "{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"/run/podman-init\", \"--\", \"app\"], \"cwd\": \"/\"},"
           " \"root\": {\"path\": \"rootfs\", \"readonly\": true},"
           " \"mounts\": [{\"destination\": \"/run\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"},"
           "  {\"destination\": \"/run/podman-init\", \"type\": \"bind\", \"source\": \"/usr/libexec/podman/catatonit\","
           "   \"options\": [\"bind\", \"ro\"]}]}");
  run_landlock (f, 7);
  args = args_of (f);
  assert_false (json_array_has_string (args, "-R")); /* catatonit reaps */
  assert_true (has_rule (args, "-x", "/run/podman-init"));
  assert_false (has_rule (args, "-x", "/run"));

  /* not bound by the engine: only where hardrun-init finds it outside
     every writable place (an image's /sbin/tini may lead into scratch) */
  load (f, "{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"/run/tini\", \"--\", \"app\"], \"cwd\": \"/\"},"
           " \"root\": {\"path\": \"rootfs\", \"readonly\": true},"
           " \"mounts\": [{\"destination\": \"/run\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}]}");
  run_landlock (f, 7);
  assert_false (has_rule (args_of (f), "-x", "/run/tini"));
  assert_true (has_rule (args_of (f), "-X", "/run/tini"));
}

static void
test_writable_root_and_missing_init (void **state)
{
  struct fixture *f = *state;

  load (f, "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"rootfs\"},"
           " \"process\": {\"args\": [\"sh\"], \"cwd\": \"/\"}}");
  run_landlock (f, 7);
  assert_true (has_rule (args_of (f), "-w", "/"));
  assert_true (message_has (f, "the root is writable"));

  load (f, config);
  f->policy.actions[CONTROL_LANDLOCK] = ACTION_ENFORCE;
  f->host.landlock_abi = 7;
  f->host.init_path = NULL;
  run (f, CONTROL_LANDLOCK, control_landlock);
  assert_int_equal (count (f, DECISION_REFUSAL, "landlock"), 1);
  assert_string_equal (json_string (args_of (f)->arr.items[0]), "sh");
}

static char top[64];

/* An image: /bin, /app, /etc (with a directory, a script and a data
 * file), /var (lib becomes scratch, opt stays the image's), /tmp, /lnk ->
 * /srv with a volume below it, and an executable at the top. */
static void
probe_image_for (struct fixture *f, char *const *execs, size_t n_execs, char *const *named, size_t n_named)
{
  static const char *const dirs[] = { "bin", "app", "etc", "etc/ssl", "var", "var/lib", "var/opt", "tmp", "srv",
                                      "srv/vol", "srv/code", "proc", "dev" };
  char *paths[16] = { "/proc", "/tmp", "/var/lib", "/etc/hosts", "/lnk/vol", "/code", "/dev" };
  size_t n_paths = 7;
  char p[160];
  int rootfd;

  strcpy (top, "/tmp/hardrun-ll.XXXXXX");
  assert_non_null (mkdtemp (top));
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
    tree_make (top, dirs[i], S_IFDIR | 0755);
  tree_make (top, "etc/hosts", S_IFREG | 0644);
  tree_make (top, "etc/passwd", S_IFREG | 0644);
  tree_make (top, "etc/rc", S_IFREG | 0755);
  tree_make (top, "start", S_IFREG | 0755);
  tree_make (top, "app/run", S_IFREG | 0755);
  tree_make (top, "tmp/dropped", S_IFREG | 0755); /* in the image, below a scratch mount */
  snprintf (p, sizeof p, "%s/lnk", top);
  assert_int_equal (symlink ("/srv", p), 0);
  rootfd = open (top, O_PATH | O_DIRECTORY);
  for (size_t i = 0; i < n_named && n_paths < sizeof paths / sizeof paths[0]; i++)
    paths[n_paths++] = named[i];
  rootfs_tree_probe (&f->host.rootfs_tree, rootfd, &(struct rootfs_query){ paths, n_paths, execs, n_execs });
  close (rootfd);
  snprintf (p, sizeof p, "rm -rf %s", top);
  assert_int_equal (system (p), 0);
}

static const char image_config[] =
    "{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"/app/run\"], \"cwd\": \"/\"},"
    " \"root\": {\"path\": \"rootfs\", \"readonly\": true},"
    " \"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},"
    "  {\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"},"
    "  {\"destination\": \"/tmp\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"},"
    "  {\"destination\": \"/var/lib\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"},"
    "  {\"destination\": \"/etc/hosts\", \"type\": \"bind\", \"source\": \"/srv/h\", \"options\": [\"rbind\", \"rw\"]},"
    "  {\"destination\": \"/lnk/vol\", \"type\": \"bind\", \"source\": \"/srv/v\", \"options\": [\"rbind\", \"rw\"]},"
    "  {\"destination\": \"/code\", \"type\": \"bind\", \"source\": \"/srv/c\", \"options\": [\"rbind\", \"ro\"]}]}";

/* Execute: all of the root (-X), which hardrun-init cuts around /proc,
 * /sys, /dev and itself (-n) and every writable mount of the container's
 * mount table (-m). */
static void
test_exec_cut (void **state)
{
  struct fixture *f = *state;
  const struct json *args;
  static const char *const shut[] = { "/proc", "/sys", "/dev", "/dev/.hardrun-init" };
  size_t n_cut = 0;

  load (f, image_config);
  run_landlock (f, 7);
  args = args_of (f);
  for (size_t i = 0; i < sizeof shut / sizeof shut[0]; i++)
    if (!has_rule (args, "-n", shut[i]))
      fail_msg ("no -n %s", shut[i]);
  assert_true (json_array_has_string (args, "-m")); /* the writable mounts, from the mount table */
  assert_false (has_rule (args, "-n", "/lnk/vol"));
  for (size_t i = 0; i < args->arr.len; i++)
    n_cut += strcmp (json_string (args->arr.items[i]), "-X") == 0;
  assert_int_equal (n_cut, 1);
  assert_true (has_rule (args, "-X", "/"));
  assert_false (json_array_has_string (args, "-x")); /* nothing exactly */
  assert_true (has_rule (args, "-w", "/lnk/vol")); /* the init opens it inside, where it resolves */
}

/* A profile's read list bounds execute: none where the workload writes. */
static void
test_exec_within_read (void **state)
{
  struct fixture *f = *state;
  const struct json *args;

  load (f, image_config);
  string_list_add_unique (&f->policy.landlock_read, "/app");
  string_list_add_unique (&f->policy.landlock_read, "/etc/");
  string_list_add_unique (&f->policy.landlock_read, "/tmp");
  run_landlock (f, 7);
  args = args_of (f);
  assert_true (has_rule (args, "-X", "/app"));
  assert_true (has_rule (args, "-X", "/etc"));
  assert_false (has_rule (args, "-X", "/tmp"));
  assert_false (has_rule (args, "-X", "/"));
}

static void
test_learned_narrowing (void **state)
{
  struct fixture *f = *state;
  char *execs[] = { "/app/run", "/tmp/dropped" };
  char *named[] = { "/tmp", "/lnk/vol" };
  cleanup_json struct json *learned = parse_json (
      "{\"hardrun_learned\": 1, \"name\": \"app-default-0\", \"key\": {}, \"state\": \"promoted\", \"runs\": 3,"
      " \"quiet_runs\": 3, \"syscalls\": {},"
      " \"written\": {\"/tmp/x\": {}, \"/lnk/vol/data\": {}},"
      " \"execs\": {\"/app/run\": {}, \"/tmp/dropped\": {}}}");
  struct learned_match m = { .profile = { learned, learned } };
  const struct json *args;

  load (f, image_config);
  probe_image_for (f, execs, 2, named, 2);
  f->policy.learning = LEARNING_ENFORCE;
  f->host.learned = &m;
  run_landlock (f, 7);
  f->host.learned = NULL;
  args = args_of (f);
  assert_true (has_rule (args, "-X", "/app/run"));
  assert_false (has_rule (args, "-X", "/app"));
  assert_false (has_rule (args, "-X", "/"));
  assert_false (has_rule (args, "-X", "/tmp/dropped")); /* run once, but where it writes */
  assert_true (has_rule (args, "-w", "/tmp"));
  assert_true (has_rule (args, "-w", "/lnk/vol"));
  assert_false (has_rule (args, "-w", "/var/lib"));
  assert_false (has_rule (args, "-w", "/etc/hosts"));
  assert_false (has_rule (args, "-w", "/dev"));
  assert_true (message_has (f, "learned profile app-default-0: execute 1 file(s)"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_default_ruleset, setup, teardown),
    cmocka_unit_test_setup_teardown (test_profile_lists_and_engine_init, setup, teardown),
    cmocka_unit_test_setup_teardown (test_no_landlock, setup, teardown),
    cmocka_unit_test_setup_teardown (test_rewrapped, setup, teardown),
    cmocka_unit_test_setup_teardown (test_bound_in_dev_tmpfs, setup, teardown),
    cmocka_unit_test_setup_teardown (test_engine_init_bound_by_engine, setup, teardown),
    cmocka_unit_test_setup_teardown (test_writable_root_and_missing_init, setup, teardown),
    cmocka_unit_test_setup_teardown (test_exec_cut, setup, teardown),
    cmocka_unit_test_setup_teardown (test_exec_within_read, setup, teardown),
    cmocka_unit_test_setup_teardown (test_learned_narrowing, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
