/* Refuse a config that is privileged in effect: dangerous capabilities
 * asked for, host devices exposed, masked paths emptied. The user asked for
 * these, so hardrun says no and why rather than quietly dropping them. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "policy/policy.h"
#include "spec/spec.h"

static const char *const cap_sets[] = { "bounding", "effective", "inheritable", "permitted",
                                        "ambient" };

/* The devices every container gets: judged by type and major:minor. */
static const struct
{
  char type;
  int64_t major;
  int64_t minor; /* -1: any minor */
} standard_devices[] = {
  { 'c', 1, 3 },  /* null */    { 'c', 1, 5 },  /* zero */    { 'c', 1, 7 }, /* full */
  { 'c', 1, 8 },  /* random */  { 'c', 1, 9 },  /* urandom */ { 'c', 5, 0 }, /* tty */
  { 'c', 5, 1 },  /* console */ { 'c', 5, 2 },  /* ptmx */    { 'c', 136, -1 }, /* pts */
};

static bool
standard_device (char type, int64_t major, int64_t minor)
{
  for (size_t i = 0; i < sizeof standard_devices / sizeof standard_devices[0]; i++)
    if (standard_devices[i].type == type && standard_devices[i].major == major
        && (standard_devices[i].minor == -1 || standard_devices[i].minor == minor))
      return true;
  return false;
}

/* -1 for absent or a wildcard, as runc reads a missing major/minor. */
static int64_t
device_number (const struct json *v)
{
  int64_t n;
  if (v == NULL || json_number_to_i64 (v, &n) < 0)
    return -1;
  return n;
}

static void
check_capabilities (struct control_ctx *ctx)
{
  const struct json *caps = spec_get_path (ctx->spec, "process", "capabilities", NULL);

  for (size_t d = 0; d < ctx->policy->dangerous_caps.len; d++)
    {
      const char *cap = ctx->policy->dangerous_caps.items[d];
      for (size_t s = 0; s < sizeof cap_sets / sizeof cap_sets[0]; s++)
        {
          const struct json *set = spec_get (caps, cap_sets[s]);
          if (json_array_has_string (set, cap))
            {
              cleanup_free char *path = hr_xasprintf ("process.capabilities.%s", cap_sets[s]);
              cleanup_free char *why = hr_xasprintf ("%s is a dangerous capability", cap);
              cleanup_free char *allow = hr_xasprintf (
                  "removing %s from profiles.%s.privileged.dangerous_capabilities", cap,
                  ctx->policy->name);
              cleanup_json struct json *value = json_new_string (cap);
              control_refuse (ctx, path, value, why, allow);
              break; /* one report per capability is enough */
            }
        }
    }
}

static void
check_devices (struct control_ctx *ctx)
{
  const struct json *devices = spec_get_path (ctx->spec, "linux", "devices", NULL);
  const struct json *rules = spec_get_path (ctx->spec, "linux", "resources", "devices", NULL);

  for (size_t i = 0; json_is (devices, JSON_ARRAY) && i < devices->arr.len; i++)
    {
      const struct json *dev = devices->arr.items[i];
      const char *type = json_string (spec_get (dev, "type"));
      int64_t major = device_number (spec_get (dev, "major"));
      int64_t minor = device_number (spec_get (dev, "minor"));
      if (type != NULL && strlen (type) == 1 && standard_device (type[0], major, minor))
        continue;
      {
        cleanup_free char *path = hr_xasprintf ("linux.devices[%zu]", i);
        cleanup_free char *why = hr_xasprintf ("host device %s (%s %lld:%lld) is not one of the "
                                               "standard devices",
                                               json_string (spec_get (dev, "path")) ?: "?",
                                               type ?: "?", (long long) major, (long long) minor);
        control_refuse (ctx, path, dev, why, NULL);
      }
    }

  for (size_t i = 0; json_is (rules, JSON_ARRAY) && i < rules->arr.len; i++)
    {
      const struct json *rule = rules->arr.items[i];
      const struct json *allow = spec_get (rule, "allow");
      const char *type = json_string (spec_get (rule, "type"));
      const char *access = json_string (spec_get (rule, "access"));
      int64_t major = device_number (spec_get (rule, "major"));
      int64_t minor = device_number (spec_get (rule, "minor"));

      bool every_type = type == NULL || type[0] == '\0' || strcmp (type, "a") == 0;

      if (!(json_is (allow, JSON_BOOL) && allow->boolean))
        continue;
      /* mknod alone ("m") creates a node the cgroup still forbids using;
       * but a rule for every type is every device whatever its access says
       * (runc does not narrow it), and an empty access is all of rwm */
      if (!every_type && access != NULL && access[0] != '\0' && strchr (access, 'r') == NULL
          && strchr (access, 'w') == NULL)
        continue;
      if (type != NULL && strlen (type) == 1 && type[0] != 'a' && major >= 0
          && standard_device (type[0], major, minor))
        continue;
      {
        char maj[24] = "*", min[24] = "*";
        cleanup_free char *path = hr_xasprintf ("linux.resources.devices[%zu]", i);
        cleanup_free char *why = NULL;
        if (major >= 0)
          snprintf (maj, sizeof maj, "%lld", (long long) major);
        if (minor >= 0)
          snprintf (min, sizeof min, "%lld", (long long) minor);
        why = hr_xasprintf ("the device cgroup allows %s %s:%s beyond the standard devices",
                            type ? type : "a", maj, min);
        control_refuse (ctx, path, rule, why, NULL);
      }
    }
}

static void
check_masked_paths (struct control_ctx *ctx)
{
  const struct json *linux_obj = spec_get (ctx->spec, "linux");

  for (size_t i = 0; linux_obj != NULL && i < linux_obj->obj.len; i++)
    {
      const struct json_member *m = &linux_obj->obj.members[i];
      if (!json_key_folds_to (m->key, m->key_len, "maskedPaths"))
        continue;
      if (json_is (m->value, JSON_NULL) || (json_is (m->value, JSON_ARRAY) && m->value->arr.len == 0))
        control_refuse (ctx, "linux.maskedPaths", m->value,
                        "the config empties the masked paths (as --security-opt "
                        "systempaths=unconfined does)",
                        NULL);
    }
}

int
control_privileged (struct control_ctx *ctx, struct hr_error *err)
{
  check_capabilities (ctx);
  check_devices (ctx);
  check_masked_paths (ctx);
  return 0;
}
