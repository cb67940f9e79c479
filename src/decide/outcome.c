#include "config.h"
#include "decide/outcome.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "controls/control.h"
#include "learn/filter.h"
#include "learn/identity.h"
#include "policy/workload.h"
#include "runtime/runc_state.h"

/* The digest of what was read, also when it cannot be parsed. */
static int
digest_loaded (struct outcome *out, int loaded)
{
  if (out->spec.raw != NULL)
    sha256_hex (out->spec.raw, out->spec.raw_len, out->sha256_before);
  memcpy (out->sha256_after, out->sha256_before, sizeof out->sha256_after);
  return loaded;
}

int
outcome_load (struct outcome *out, int dirfd, const char *name, enum spec_kind kind,
              struct hr_error *err)
{
  return digest_loaded (out, spec_load (dirfd, name, kind, &out->spec, err));
}

int
outcome_load_bytes (struct outcome *out, char *raw, size_t len, enum spec_kind kind, struct hr_error *err)
{
  return digest_loaded (out, spec_load_bytes (raw, len, kind, &out->spec, err));
}

int
outcome_finish (struct outcome *out, struct hr_error *err)
{
  out->verdict = decision_verdict (&out->decision);
  if (out->verdict == VERDICT_MODIFY)
    {
      if (spec_serialize (&out->spec, false, &out->new_text, &out->new_len, err) < 0)
        return -1;
      sha256_hex (out->new_text, out->new_len, out->sha256_after);
    }
  return 0;
}

/* Where this launch's agent would listen, and, when the profile learns,
 * the learned profiles of the workload. */
static void
find_learned (const struct hr_config *cfg, struct host_facts *host, struct outcome *out)
{
  struct learned_match *m = &out->learned;
  struct learned_store st = { cfg->state_dir, cfg->learned_dir };
  char version[256];

  m->agent_dir = hr_xasprintf ("%s/agents", cfg->state_dir);
  if (host->container_id != NULL)
    m->listener = learned_agent_socket (cfg->state_dir, host->runc_root, host->container_id);
  host->learned = m;
  if (out->policy.learning == LEARNING_OFF)
    return;
  runc_version_cached (cfg->runtime, cfg->state_dir, version, sizeof version);
  learned_match_find (&st,
                      &(struct learned_identity){
                          .image = learned_workload_image (out->workload.fields[WL_IMAGE], host->engine_image),
                          .digest = learned_workload_digest (out->workload.fields[WL_IMAGE],
                                                             spec_get (out->spec.root, "annotations"),
                                                             host->engine_image_id),
                          .rule = out->selection.rule,
                          .profile = out->policy.name,
                          .arch = host->arches[0],
                          .runtime_version = version,
                      },
                      m);
}

/* The directories of the root the controls ask about: the scratch
 * directories under a user namespace (only there can runc not make a mount
 * point itself), and those a learned profile would make scratch. */
static void
probe_rootfs_dirs (struct host_facts *host, struct outcome *out)
{
  struct string_list dirs = { 0 };
  bool userns = spec_has_namespace (out->spec.root, "user");

  for (size_t i = 0; userns && i < out->policy.tmpfs.len; i++)
    string_list_add_unique (&dirs, out->policy.tmpfs.items[i]);
  for (int k = 0; k < 2; k++)
    learn_scratch_dirs (out->learned.profile[k], &dirs);
  if (dirs.len > 0)
    host_facts_probe_rootfs (host, out->spec.root, dirs.items, dirs.len);
  string_list_release (&dirs);
}

/* What a learned profile saw executed, and the directories it wrote in. */
static void
learned_paths (const struct json *profile, struct string_list *execs, struct string_list *parents)
{
  const struct json *ex = profile ? learned_section (profile, LEARNED_EXECS) : NULL;
  const struct json *wr = profile ? learned_section (profile, LEARNED_WRITTEN) : NULL;

  for (size_t i = 0; json_is (ex, JSON_OBJECT) && i < ex->obj.len; i++)
    string_list_add_unique (execs, ex->obj.members[i].key);
  for (size_t i = 0; json_is (wr, JSON_OBJECT) && i < wr->obj.len; i++)
    {
      const char *path = wr->obj.members[i].key;
      const char *slash = strrchr (path, '/');
      cleanup_free char *dir = slash && slash != path ? hr_xstrndup (path, (size_t) (slash - path)) : hr_xstrdup ("/");
      string_list_add_unique (parents, dir);
    }
}

/* What the landlock control asks of the root, to narrow its rules to a
 * learned profile: every mount point and the mounts the controls may add,
 * and what the profile executed and wrote, resolved. Without a learned
 * profile nothing is asked: hardrun-init cuts execute in the tree runc
 * makes. */
static void
probe_rootfs_tree (struct host_facts *host, struct outcome *out)
{
  const struct json *mounts = spec_get (out->spec.root, "mounts");
  struct string_list named = { 0 }, execs = { 0 };

  if (out->policy.actions[CONTROL_LANDLOCK] == ACTION_OFF
      || (out->learned.profile[0] == NULL && out->learned.profile[1] == NULL))
    return;
  for (size_t i = 0; json_is (mounts, JSON_ARRAY) && i < mounts->arr.len; i++)
    {
      const char *dest = json_string (spec_get (mounts->arr.items[i], "destination"));
      if (dest != NULL && dest[0] == '/')
        string_list_add_unique (&named, dest);
    }
  for (size_t i = 0; i < out->policy.tmpfs.len; i++)
    string_list_add_unique (&named, out->policy.tmpfs.items[i]);
  for (int k = 0; k < 2; k++)
    {
      learn_scratch_dirs (out->learned.profile[k], &named);
      learned_paths (out->learned.profile[k], &execs, &named);
    }
  host_facts_probe_rootfs_tree (host, out->spec.root,
                                &(struct rootfs_query){ named.items, named.len, execs.items, execs.len });
  string_list_release (&named);
  string_list_release (&execs);
}

int
outcome_decide (const struct hr_config *cfg, struct host_facts *host,
                struct mcs_allocator *mcs, int dirfd, const char *name, struct outcome *out,
                struct hr_error *err)
{
  struct workload wl;
  struct hr_error select_err = { 0 };

  memset (out, 0, sizeof *out);
  if (outcome_load (out, dirfd, name, SPEC_CONFIG, err) < 0)
    return -1;

  /* the paths the config names, and what they tell of the workload */
  host_facts_probe_spec (host, out->spec.root);
  workload_from_spec (out->spec.root, &out->workload);
  if (out->workload.fields[WL_NAME] == NULL && host->engine_name != NULL)
    {
      out->engine_name = hr_xstrdup (host->engine_name);
      out->workload.fields[WL_NAME] = out->engine_name;
    }
  wl = out->workload;
  if (config_select_profile (cfg, &wl, &out->selection, &select_err) < 0)
    {
      /* A workload asking for a profile it may not have is refused; the
       * default profile still decides the rest, for the record. */
      decision_add (&out->decision, DECISION_REFUSAL, "selection", "annotations[\"" WORKLOAD_PROFILE_ANNOTATION "\"]",
                    NULL, NULL, select_err.msg, NULL);
      out->selection.profile = cfg->default_profile;
    }
  if (config_build_profile (cfg, out->selection.profile, true, &out->policy, err) < 0)
    return -1;
  out->have_policy = true;
  if (out->policy.actions[CONTROL_LANDLOCK] != ACTION_OFF)
    {
      host_facts_probe_landlock (host);
      host_facts_probe_init (host, cfg->init, strcmp (cfg->init, HARDRUN_DEFAULT_INIT) == 0);
    }
  find_learned (cfg, host, out);

  if (out->spec.collapsed_keys > 0)
    {
      cleanup_free char *msg = hr_xasprintf (
          "%u duplicate key(s) resolved the way runc reads them (last wins, objects merged), "
          "e.g. %s",
          out->spec.collapsed_keys, out->spec.collapsed_example);
      decision_add (&out->decision, DECISION_CHANGE, "spec", out->spec.collapsed_example, NULL,
                    NULL, msg, NULL);
    }
  if (host->lsm.assumed == NULL)
    host_facts_probe_lsm (host, out->policy.apparmor_profile);
  probe_rootfs_dirs (host, out);
  probe_rootfs_tree (host, out);
  if (mcs != NULL)
    host->lsm.mcs = *mcs;
  if (controls_run (out->spec.root, &out->policy, host, &out->decision, err) < 0)
    return -1;
  return outcome_finish (out, err);
}

char *
outcome_refusal_message (const struct outcome *o)
{
  const struct decision_item *r = decision_first_refusal (&o->decision);
  size_t count = 0;

  if (r == NULL)
    return NULL;
  for (size_t i = 0; i < o->decision.len; i++)
    count += o->decision.items[i].kind == DECISION_REFUSAL;
  char more[96] = "";
  if (count > 1)
    snprintf (more, sizeof more, " (and %zu more refusal%s: hardrun check shows all)", count - 1,
              count > 2 ? "s" : "");
  return hr_xasprintf ("hardrun: refused by profile \"%s\" (rule %s%s): %s: %s: %s%s%s%s",
                       o->policy.name ? o->policy.name : "?", o->selection.rule ? o->selection.rule : "?",
                       o->selection.requested ? ", requested by the workload" : "", r->control,
                       r->path, r->message ? r->message : "", r->allow ? "; to allow it: " : "",
                       r->allow ? r->allow : "", more);
}

void
outcome_release (struct outcome *o)
{
  spec_release (&o->spec);
  decision_release (&o->decision);
  if (o->have_policy)
    policy_release (&o->policy);
  free (o->new_text);
  free (o->engine_name);
  learned_match_release (&o->learned);
  memset (o, 0, sizeof *o);
}
