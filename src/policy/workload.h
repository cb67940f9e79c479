/* Who a workload is, read from the annotations the engines write. Used to
 * pick its profile and to name it in the decision log. */
#ifndef HARDRUN_WORKLOAD_H
#define HARDRUN_WORKLOAD_H

#include "spec/json.h"

/* The annotation through which a workload may ask for a profile. */
#define WORKLOAD_PROFILE_ANNOTATION "io.hardrun.profile"

enum workload_field
{
  WL_NAMESPACE,
  WL_POD,
  WL_POD_UID,
  WL_CONTAINER,
  WL_CONTAINER_TYPE,
  WL_IMAGE,
  WL_SANDBOX_ID,
  WL_MANAGER,
  WL_HOSTNAME,
  WL_NAME, /* the engine's name for the container (Docker, nerdctl) */
  WL_FIELD_COUNT,
};

struct workload
{
  const char *fields[WL_FIELD_COUNT]; /* borrowed from the spec; NULL if absent */
  const char *requested_profile;
  const struct json *annotations;
};

void workload_from_spec (const struct json *spec, struct workload *out);
const char *workload_field_name (enum workload_field f);
/* {"namespace": ..., ...} with the fields present. */
struct json *workload_json (const struct workload *wl);

#endif
