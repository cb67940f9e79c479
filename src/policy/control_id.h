/* The controls a profile names, in the order they run, and the actions a
 * profile gives them. The policy layer owns these names (a profile's
 * "controls" object is read with them); src/controls/registry.c maps each
 * id to the function that implements it. */
#ifndef HARDRUN_CONTROL_ID_H
#define HARDRUN_CONTROL_ID_H

enum control_id
{
  /* Refusing controls first: they judge what the config asked for, before
   * the hardening controls change it. */
  CONTROL_FIELDS, /* first: every later control reads a field it knows */
  CONTROL_PRIVILEGED,
  CONTROL_HOST_NAMESPACES,
  CONTROL_HOST_MOUNTS,
  CONTROL_MOUNT_TYPES,
  CONTROL_ROOTFS,
  CONTROL_IMAGE,
  CONTROL_CGROUPS,
  CONTROL_HOOKS,
  CONTROL_ANNOTATIONS,
  CONTROL_SYSCTLS,
  CONTROL_USER,
  CONTROL_ENV_SECRETS,
  CONTROL_RESOURCES,
  CONTROL_CAPABILITIES,
  CONTROL_NO_NEW_PRIVILEGES,
  CONTROL_READONLY_ROOTFS,
  CONTROL_MASKED_PATHS,
  CONTROL_SECCOMP, /* after capabilities: it resolves rules against the final set */
  CONTROL_LEARNING, /* after seccomp: it narrows the filter seccomp settled */
  CONTROL_LANDLOCK, /* after every control that adds a mount: it reads them */
  CONTROL_APPARMOR,
  CONTROL_SELINUX,
  CONTROL_COUNT,
};

enum control_action
{
  ACTION_OFF,
  ACTION_AUDIT,
  ACTION_DENY,
  ACTION_ENFORCE,
};

/* "privileged", ...; "?" for an id out of range. */
const char *control_name (enum control_id id);
int control_from_name (const char *name, enum control_id *out);
const char *control_action_name (enum control_action a);
int control_action_from_name (const char *name, enum control_action *out);

#endif
