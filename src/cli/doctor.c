/* `hardrun doctor`: what this host gives hardrun, and what to do about what
 * it lacks. It reads /proc and /sys itself: it inspects the host, it is not
 * a control. */
#include "config.h"
#include "cli/verbs.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "host/hostfacts.h"
#include "policy/configuration.h"
#include "runtime/runc_state.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

/* One line per item; returns ok so callers can count what matters. */
static bool
report (bool ok, const char *item, const char *detail, const char *todo)
{
  printf ("%-4s %-22s %s\n", ok ? "ok" : "--", item, detail);
  if (!ok && todo != NULL)
    printf ("     %-22s -> %s\n", "", todo);
  return ok;
}

static void
read_first_line (const char *path, char *buf, size_t len)
{
  cleanup_fclose FILE *f = fopen (path, "re");
  buf[0] = '\0';
  if (f != NULL && fgets (buf, (int) len, f) != NULL)
    buf[strcspn (buf, "\n")] = '\0';
}

int
doctor_main (int argc, char *const argv[])
{
  struct hr_config cfg;
  struct hr_error err = { 0 };
  struct host_facts host = { 0 };
  char line[512], detail[1024];
  struct statfs fs;
  struct policy profile = { 0 };
  bool config_ok;
  int problems = 0;

  if (argc > 1)
    {
      fputs ("usage: hardrun doctor\n  what this host gives hardrun, and what to do about what "
             "it lacks\n", strcmp (argv[1], "--help") == 0 ? stdout : stderr);
      return strcmp (argv[1], "--help") == 0 ? 0 : 2;
    }

  config_ok = config_load (&cfg, &err) == 0;
  snprintf (detail, sizeof detail, "%s", config_ok ? (cfg.path ? cfg.path : "built-in defaults (no "
                                                                              HARDRUN_DEFAULT_CONFIG ")")
                                                   : err.msg);
  problems += !report (config_ok, "configuration", detail, "fix the file and key named above");

  if (config_ok)
    {
      runc_version_line (cfg.runtime, line, sizeof line);
      snprintf (detail, sizeof detail, "%s: %s", cfg.runtime, line[0] ? line : "no version");
      problems += !report (line[0] != '\0', "delegate runtime", detail,
                           "install runc, or set \"runtime\" to a working one");
    }
  else
    report (false, "delegate runtime", "unknown: the configuration is invalid", NULL);

  /* the AppArmor profile that matters is the one the default profile sets */
  if (config_ok && config_build_profile (&cfg, cfg.default_profile, false, &profile, &err) < 0)
    profile.apparmor_profile = NULL;
  host_facts_probe_lsm (&host, profile.apparmor_profile ? profile.apparmor_profile : "hardrun-default");
  report (host.lsm.apparmor_enabled, "AppArmor", host.lsm.apparmor_enabled ? "active" : "not active",
          "containers get no AppArmor profile here (hardrun adds none where it cannot hold); "
          "enable AppArmor for that layer");
  if (host.lsm.apparmor_enabled)
    report (host.lsm.apparmor_profile_loaded, "AppArmor profile",
            host.lsm.apparmor_profile_loaded ? "loaded" : "not loaded",
            "run `hardrun profiles install`; until then launches without a profile of their "
            "own are refused (apparmor.require_profile)");
  snprintf (detail, sizeof detail, "%s%s%s",
            host.lsm.selinux_enabled ? (host.lsm.selinux_enforcing ? "enforcing" : "permissive")
                                     : "disabled",
            host.lsm.selinux_enabled ? ", container process context " : "",
            host.lsm.selinux_enabled ? host.lsm.selinux_process : "");
  report (host.lsm.selinux_enabled, "SELinux", detail,
          "containers get no SELinux labels here; that layer needs an SELinux host");

  read_first_line ("/proc/sys/kernel/seccomp/actions_avail", line, sizeof line);
  {
    const struct scmp_version *v = seccomp_version ();
    bool ok = strstr (line, "errno") != NULL && strstr (line, "kill_process") != NULL;
    snprintf (detail, sizeof detail, "kernel actions: %s; libseccomp %u.%u.%u",
              line[0] ? line : "unknown", v->major, v->minor, v->micro);
    problems += !report (ok, "seccomp", detail,
                         "a kernel with seccomp filters (errno, kill_process) is needed");
  }

  read_first_line ("/proc/sys/user/max_user_namespaces", line, sizeof line);
  snprintf (detail, sizeof detail, "max_user_namespaces = %s", line[0] ? line : "unknown");
  report (line[0] && strcmp (line, "0") != 0, "user namespaces", detail,
          "rootless and user-namespaced containers need user.max_user_namespaces > 0");

  if (statfs ("/sys/fs/cgroup", &fs) == 0)
    {
      struct statfs unified;
      bool v2 = fs.f_type == CGROUP2_SUPER_MAGIC;
      bool hybrid = !v2 && statfs ("/sys/fs/cgroup/unified", &unified) == 0
                    && unified.f_type == CGROUP2_SUPER_MAGIC;
      report (v2, "cgroups", v2 ? "v2 (unified)" : hybrid ? "v1, hybrid" : "v1",
              "cgroup v2 is what current runtimes expect; crun refuses hybrid hosts");
    }

  if (config_ok)
    {
      cleanup_free char *dir = hr_xstrdup (cfg.decision_log);
      char *slash = strrchr (dir, '/');
      bool ok;
      if (slash && slash != dir)
        *slash = '\0';
      ok = access (dir, W_OK) == 0 || errno == ENOENT;
      snprintf (detail, sizeof detail, "%s", cfg.decision_log);
      problems += !report (ok, "decision log", detail,
                           "make its directory writable by the engine's user (root)");
    }

  policy_release (&profile);
  config_release (&cfg);
  /* what hardrun needs to run at all; missing LSMs are reported, not failures */
  return problems ? 1 : 0;
}
