/* runc's command line as runc reads it: every global-flag form. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cli/argv.h"

#define MAX_ARGS 16

struct argv_case
{
  const char *args[MAX_ARGS]; /* after argv[0] */
  int ok;
  enum runc_command command;
  const char *id;
  const char *bundle;
  const char *log;
  const char *log_format;
  const char *root;
  const char *criu;
  const char *rootless;
  int debug;
  int systemd_cgroup;
};

static const struct argv_case cases[] = {
  /* containerd's shim */
  { { "--root", "/run/containerd/runc/default", "--log", "/b/log.json", "--log-format", "json",
      "create", "--bundle", "/b", "--pid-file", "/b/init.pid", "c1" },
    1, CMD_CREATE, "c1", "/b", "/b/log.json", "json", "/run/containerd/runc/default" },
  { { "--root", "/r", "--log", "/b/log.json", "--log-format", "json", "--systemd-cgroup",
      "start", "c1" },
    1, CMD_START, "c1", NULL, "/b/log.json", "json", "/r", .systemd_cgroup = 1 },
  /* podman */
  { { "--log-format=json", "--log", "/u/oci-log", "create", "--bundle", "/u", "--pid-file",
      "/u/pidfile", "abc" },
    1, CMD_CREATE, "abc", "/u", "/u/oci-log", "json" },
  /* one dash, '=' forms */
  { { "-log=/l", "-log-format=text", "-root=/r", "-criu=/c", "-rootless=auto", "-debug",
      "run", "-b=/x", "id" },
    1, CMD_RUN, "id", "/x", "/l", "text", "/r", "/c", "auto", 1 },
  { { "--debug=false", "--systemd-cgroup=true", "--criu", "/usr/sbin/criu", "--rootless",
      "false", "create", "-b", "/y", "id2" },
    1, CMD_CREATE, "id2", "/y", NULL, NULL, NULL, "/usr/sbin/criu", "false", 0, 1 },
  /* a container named after a command, a bundle that looks like a flag */
  { { "create", "--bundle", "-bweird", "create" }, 1, CMD_CREATE, "create", "-bweird" },
  { { "kill", "run", "9" }, 1, CMD_KILL, "run" },
  { { "delete", "--force", "create" }, 1, CMD_DELETE, "create" },
  /* urfave/cli moves flags after the id in front of it */
  { { "create", "c3", "--bundle", "/z" }, 1, CMD_CREATE, "c3", "/z" },
  { { "create", "--bundle=/first", "--bundle", "/last", "c4" }, 1, CMD_CREATE, "c4", "/last" },
  /* no bundle: the cwd */
  { { "run", "-d", "c5" }, 1, CMD_RUN, "c5", NULL },
  /* exec keeps its arguments in place */
  { { "exec", "--process", "/tmp/p.json", "--detach", "--pid-file", "/p", "c6" },
    1, CMD_EXEC, "c6" },
  { { "exec", "c7", "sh", "-c", "--bundle" }, 1, CMD_EXEC, "c7" },
  /* "--" ends runc's flags */
  { { "--", "state", "c8" }, 1, CMD_STATE, "c8" },
  { { "--root", "--log", "state", "c9" }, 1, CMD_STATE, "c9", NULL, NULL, NULL, "--log" },
  /* what runc rejects */
  { { "--nope", "create", "c" }, 0 },
  { { "--root" }, 0 },
  { { "---root", "x", "create", "c" }, 0 },
  { { "--debug=maybe", "create", "c" }, 0 },
  { { "create", "--bundle" }, 0 },
  /* no subcommand, unknown subcommand */
  { { "--root", "/r" }, 1, CMD_NONE },
  { { "frobnicate", "x" }, 1, CMD_UNKNOWN },
  { { "features" }, 1, CMD_FEATURES },
};

static void
streq_or_null (const char *want, const char *got)
{
  if (want == NULL)
    assert_null (got);
  else
    {
      assert_non_null (got);
      assert_string_equal (want, got);
    }
}

static void
test_table (void **state)
{
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      const struct argv_case *c = &cases[i];
      char *argv[MAX_ARGS + 2] = { (char *) "hardrun" };
      int argc = 1;
      struct runc_argv out;
      struct hr_error err = { 0 };
      int r;

      for (; argc <= MAX_ARGS && c->args[argc - 1]; argc++)
        argv[argc] = (char *) c->args[argc - 1];
      r = runc_argv_parse (argc, argv, &out, &err);
      print_message ("case %zu: r=%d %s\n", i, r, r < 0 ? err.msg : "");
      if (!c->ok)
        {
          assert_int_equal (r, -1);
          assert_true (strlen (err.msg) > 0);
          continue;
        }
      assert_int_equal (r, 0);
      assert_int_equal (out.command, c->command);
      if (c->command == CMD_NONE || c->command == CMD_UNKNOWN)
        continue;
      streq_or_null (c->id, out.container_id);
      streq_or_null (c->bundle, out.bundle);
      streq_or_null (c->log, out.log);
      streq_or_null (c->log_format, out.log_format);
      streq_or_null (c->root, out.root);
      streq_or_null (c->criu, out.criu);
      streq_or_null (c->rootless, out.rootless);
      assert_int_equal (out.debug, c->debug);
      assert_int_equal (out.systemd_cgroup, c->systemd_cgroup);
    }
}

static void
test_global_version_and_help (void **state)
{
  char *v[] = { (char *) "hardrun", (char *) "--version", NULL };
  char *h[] = { (char *) "hardrun", (char *) "-h", NULL };
  char *ch[] = { (char *) "hardrun", (char *) "create", (char *) "--help", NULL };
  struct runc_argv out;
  struct hr_error err;

  assert_int_equal (runc_argv_parse (2, v, &out, &err), 0);
  assert_true (out.global_version);
  assert_int_equal (out.command, CMD_NONE);
  assert_int_equal (runc_argv_parse (2, h, &out, &err), 0);
  assert_true (out.global_help);
  assert_int_equal (runc_argv_parse (3, ch, &out, &err), 0);
  assert_int_equal (out.command, CMD_CREATE);
  assert_true (out.command_help);
}

static void
test_command_index (void **state)
{
  char *a[] = { (char *) "hardrun", (char *) "--root", (char *) "/r", (char *) "check",
                (char *) "x", NULL };
  struct runc_argv out;
  struct hr_error err;

  assert_int_equal (runc_argv_parse (5, a, &out, &err), 0);
  assert_int_equal (out.command, CMD_UNKNOWN);
  assert_int_equal (out.command_index, 3);
  assert_string_equal (out.command_name, "check");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_table),
    cmocka_unit_test (test_global_version_and_help),
    cmocka_unit_test (test_command_index),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
