#include "config.h"
#include "learn/lookup.h"

#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "spec/sha256.h"
#include "spec/spec.h"

char *
learned_agent_socket (const char *state_dir, const char *runc_root, const char *container_id)
{
  cleanup_free char *which = hr_xasprintf ("%s\n%s", runc_root, container_id);
  char hash[SHA256_HEX_LEN + 1];

  sha256_hex (which, strlen (which), hash);
  return hr_xasprintf ("%s/agents/%.24s.sock", state_dir, hash);
}

void
learned_match_find (const struct learned_store *st, const struct learned_identity *id, struct learned_match *m)
{
  for (int nnp = 0; nnp < 2; nnp++)
    {
      struct learned_identity each = *id;
      struct hr_error err = { 0 };

      each.no_new_privileges = nnp;
      m->name[nnp] = learned_key_name (&each);
      m->key[nnp] = learned_key (&each);
      if (learned_store_load (st, m->name[nnp], &m->profile[nnp], &m->origin[nnp], &err) < 0 && m->error == NULL)
        m->error = hr_xstrdup (err.msg);
    }
}

int
learned_match_index (const struct json *spec)
{
  const struct json *nnp = spec_get_path (spec, "process", "noNewPrivileges", NULL);
  return json_is (nnp, JSON_BOOL) && nnp->boolean;
}

void
learned_match_release (struct learned_match *m)
{
  free (m->agent_dir);
  free (m->listener);
  for (int i = 0; i < 2; i++)
    {
      free (m->name[i]);
      json_free (m->key[i]);
      json_free (m->profile[i]);
    }
  free (m->error);
  memset (m, 0, sizeof *m);
}
