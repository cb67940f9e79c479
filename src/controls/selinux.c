/* SELinux labels where SELinux is enabled: the host's container type with a
 * unique MCS category pair for the process and its files. A label already
 * in the config is kept (engines relabel the rootfs by it) unless it leaves
 * the container unconfined. Where SELinux is disabled, nothing is added. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "policy/policy.h"
#include "spec/spec.h"

/* Why a label leaves the container unconfined, or NULL. */
static const char *
unconfined_reason (const struct policy *p, const char *label, char *buf, size_t len)
{
  /* user:role:type:level, where level may itself contain ':' */
  const char *c1 = strchr (label, ':');
  const char *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
  const char *c3 = c2 ? strchr (c2 + 1, ':') : NULL;
  char type[128];

  if (c3 == NULL)
    {
      snprintf (buf, len, "\"%s\" is not a user:role:type:level label", label);
      return buf;
    }
  snprintf (type, sizeof type, "%.*s", (int) (c3 - c2 - 1), c2 + 1);
  if (string_list_contains (&p->selinux_refused_types, type))
    {
      snprintf (buf, len, "type %s leaves the container unconfined", type);
      return buf;
    }
  if (strstr (c3 + 1, ":c") == NULL)
    {
      snprintf (buf, len, "level %s has no categories: the container is not separated from "
                          "others", c3 + 1);
      return buf;
    }
  return NULL;
}

/* "user:role:type:s0" with its level replaced. */
static char *
with_level (const char *context, const char *level)
{
  const char *c1 = strchr (context, ':');
  const char *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
  const char *c3 = c2 ? strchr (c2 + 1, ':') : NULL;
  if (c3 == NULL)
    return hr_xasprintf ("%s:%s", context, level);
  return hr_xasprintf ("%.*s:%s", (int) (c3 - context), context, level);
}

static void
check_existing (struct control_ctx *ctx, const char *path, const struct json *value)
{
  char buf[256];
  const char *label = json_string (value);
  const char *why = label ? unconfined_reason (ctx->policy, label, buf, sizeof buf) : NULL;
  if (why != NULL)
    control_refuse (ctx, path, value, why, NULL);
}

int
control_selinux (struct control_ctx *ctx, struct hr_error *err)
{
  const struct lsm_facts *lsm = &ctx->host->lsm;
  struct json *process = spec_get (ctx->spec, "process");
  struct json *label = spec_get (process, "selinuxLabel");
  struct json *mount = spec_get_path (ctx->spec, "linux", "mountLabel", NULL);
  bool has_label = json_string (label) && json_string (label)[0];
  bool has_mount = json_string (mount) && json_string (mount)[0];

  if (!json_is (process, JSON_OBJECT))
    return 0;
  if (!lsm->selinux_enabled)
    {
      if (has_label || has_mount)
        control_refuse (ctx, has_label ? "process.selinuxLabel" : "linux.mountLabel",
                        has_label ? label : mount,
                        "SELinux is not enabled on this host, so runc cannot apply the label "
                        "the config names",
                        NULL);
      return 0;
    }
  if (has_label)
    check_existing (ctx, "process.selinuxLabel", label);
  if (has_mount)
    check_existing (ctx, "linux.mountLabel", mount);
  if (has_label)
    return 0;

  {
    char level[MCS_LEVEL_MAX];
    cleanup_free char *proc_label = NULL;
    cleanup_free char *file_label = NULL;
    cleanup_json struct json *proc_value = NULL;
    cleanup_json struct json *file_value = NULL;
    struct mcs_allocator preview;
    struct mcs_allocator *alloc = (struct mcs_allocator *) &lsm->mcs;

    /* Only a launch that will write the config takes a real pair. */
    if (ctx->action != ACTION_ENFORCE || ctx->policy->mode != MODE_ENFORCE)
      {
        mcs_allocator_preview (&preview, NULL);
        alloc = &preview;
      }
    if (alloc->allocate (alloc, level, err) < 0)
      return -1;
    proc_label = with_level (lsm->selinux_process, level);
    proc_value = json_new_string (proc_label);
    if (control_propose (ctx, "process.selinuxLabel", label, proc_value,
                         "the host's container type with a category pair of its own"))
      spec_set (process, "selinuxLabel", steal_pointer (&proc_value));
    if (!has_mount)
      {
        file_label = with_level (lsm->selinux_file, level);
        file_value = json_new_string (file_label);
        if (control_propose (ctx, "linux.mountLabel", mount, file_value,
                             "the matching file type and category pair"))
          spec_set (spec_ensure_object (ctx->spec, "linux", NULL), "mountLabel",
                    steal_pointer (&file_value));
      }
  }
  return 0;
}
