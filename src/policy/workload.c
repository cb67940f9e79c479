#include "config.h"
#include "policy/workload.h"

#include <string.h>

#include "spec/spec.h"

static const char *const field_names[WL_FIELD_COUNT] = {
  [WL_NAMESPACE] = "namespace",       [WL_POD] = "pod",
  [WL_POD_UID] = "pod_uid",           [WL_CONTAINER] = "container",
  [WL_CONTAINER_TYPE] = "container_type", [WL_IMAGE] = "image",
  [WL_SANDBOX_ID] = "sandbox_id",     [WL_MANAGER] = "manager",
  [WL_HOSTNAME] = "hostname",         [WL_NAME] = "name",
};

/* The first annotation present wins for each field. */
static const struct
{
  enum workload_field field;
  const char *annotation;
} sources[] = {
  { WL_NAMESPACE, "io.kubernetes.cri.sandbox-namespace" },
  { WL_NAMESPACE, "io.kubernetes.pod.namespace" },
  { WL_POD, "io.kubernetes.cri.sandbox-name" },
  { WL_POD, "io.kubernetes.pod.name" },
  { WL_POD_UID, "io.kubernetes.cri.sandbox-uid" },
  { WL_POD_UID, "io.kubernetes.pod.uid" },
  { WL_CONTAINER, "io.kubernetes.cri.container-name" },
  { WL_CONTAINER, "io.kubernetes.container.name" },
  { WL_NAME, "nerdctl/name" },
  { WL_NAME, "io.podman.annotations.name" },
  { WL_NAME, "com.docker.container.name" },
  { WL_CONTAINER_TYPE, "io.kubernetes.cri.container-type" },
  { WL_IMAGE, "io.kubernetes.cri.image-name" },
  { WL_IMAGE, "io.containerd.image.name" },
  { WL_IMAGE, "org.opencontainers.image.ref.name" },
  { WL_IMAGE, "io.podman.annotations.image" },
  { WL_SANDBOX_ID, "io.kubernetes.cri.sandbox-id" },
  { WL_MANAGER, "io.container.manager" },
};

const char *
workload_field_name (enum workload_field f)
{
  return field_names[f];
}

void
workload_from_spec (const struct json *spec, struct workload *out)
{
  const struct json *ann = spec_get (spec, "annotations");

  memset (out, 0, sizeof *out);
  out->annotations = json_is (ann, JSON_OBJECT) ? ann : NULL;
  for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
    if (out->fields[sources[i].field] == NULL)
      out->fields[sources[i].field] = json_string (json_object_get (ann, sources[i].annotation));
  out->fields[WL_HOSTNAME] = json_string (spec_get (spec, "hostname"));
  out->requested_profile = json_string (json_object_get (ann, WORKLOAD_PROFILE_ANNOTATION));
}

struct json *
workload_json (const struct workload *wl)
{
  struct json *o = json_new_object ();
  for (int f = 0; f < WL_FIELD_COUNT; f++)
    if (wl->fields[f] != NULL)
      json_object_append (o, field_names[f], json_new_string (wl->fields[f]));
  if (wl->requested_profile != NULL)
    json_object_append (o, "requested_profile", json_new_string (wl->requested_profile));
  return o;
}
