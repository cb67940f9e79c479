#include "config.h"
#include "agent/sightings.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"

#define PATHS_MAX 4096 /* per section: beyond, the record says only what it has */

#define W LEARNED_WRITTEN
#define X LEARNED_EXECS
static const struct
{
  const char *name;
  struct syscall_paths paths;
} path_syscalls[] = {
  { "open", { W, 1, { -1, -1 }, { 0, -1 } } },      { "openat", { W, 2, { 0, -1 }, { 1, -1 } } },
  { "creat", { W, -1, { -1, -1 }, { 0, -1 } } },    { "truncate", { W, -1, { -1, -1 }, { 0, -1 } } },
  { "mkdir", { W, -1, { -1, -1 }, { 0, -1 } } },    { "mkdirat", { W, -1, { 0, -1 }, { 1, -1 } } },
  { "mknod", { W, -1, { -1, -1 }, { 0, -1 } } },    { "mknodat", { W, -1, { 0, -1 }, { 1, -1 } } },
  { "unlink", { W, -1, { -1, -1 }, { 0, -1 } } },   { "unlinkat", { W, -1, { 0, -1 }, { 1, -1 } } },
  { "rmdir", { W, -1, { -1, -1 }, { 0, -1 } } },    { "rename", { W, -1, { -1, -1 }, { 0, 1 } } },
  { "renameat", { W, -1, { 0, 2 }, { 1, 3 } } },    { "renameat2", { W, -1, { 0, 2 }, { 1, 3 } } },
  { "link", { W, -1, { -1, -1 }, { 1, -1 } } },     { "linkat", { W, -1, { 2, -1 }, { 3, -1 } } },
  { "symlink", { W, -1, { -1, -1 }, { 1, -1 } } },  { "symlinkat", { W, -1, { 1, -1 }, { 2, -1 } } },
  { "execve", { X, -1, { -1, -1 }, { 0, -1 } } },   { "execveat", { X, -1, { 0, -1 }, { 1, -1 } } },
};
#undef W
#undef X

static const struct syscall_paths *
paths_of (const char *name)
{
  for (size_t i = 0; name != NULL && i < sizeof path_syscalls / sizeof path_syscalls[0]; i++)
    if (strcmp (path_syscalls[i].name, name) == 0)
      return &path_syscalls[i].paths;
  return NULL;
}

struct syscall_slot *
sightings_slot (struct sightings *s, uint32_t arch, int32_t nr)
{
  size_t h = ((size_t) arch * 31u + (size_t) (uint32_t) nr) % SIGHTINGS_SLOTS;

  for (size_t probe = 0; probe < SIGHTINGS_SLOTS; probe++, h = (h + 1) % SIGHTINGS_SLOTS)
    {
      struct syscall_slot *slot = &s->slots[h];
      if (slot->used && slot->arch == arch && slot->nr == nr)
        return slot;
      if (!slot->used)
        {
          slot->used = true;
          slot->arch = arch;
          slot->nr = nr;
          slot->name = seccomp_syscall_resolve_num_arch (arch, nr);
          slot->paths = paths_of (slot->name);
          return slot;
        }
    }
  return NULL;
}

void
sightings_path (struct sightings *s, enum learned_section sec, const char *path, time_t now)
{
  struct path_set *set = &s->paths[sec];

  s->dirty = true;
  for (size_t i = 0; i < set->len; i++)
    if (strcmp (set->items[i].path, path) == 0)
      {
        if (set->items[i].count++ == 0)
          set->items[i].first = now;
        set->items[i].last = now;
        return;
      }
  if (set->len >= PATHS_MAX)
    return;
  set->items = hr_xrealloc (set->items, (set->len + 1) * sizeof *set->items);
  set->items[set->len++] = (struct path_sighting){ hr_xstrdup (path), 1, now, now };
}

static void
stamp (time_t t, char *buf, size_t len)
{
  struct tm tm;
  gmtime_r (&t, &tm);
  strftime (buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
note (struct json *doc, enum learned_section sec, const char *item, uint64_t count, time_t first, time_t last)
{
  char a[32], b[32];

  stamp (first, a, sizeof a);
  stamp (last, b, sizeof b);
  learned_note (doc, sec, item, count, a, b);
}

void
sightings_take_nothing (struct sightings *s)
{
  for (size_t i = 0; i < SIGHTINGS_SLOTS; i++)
    s->slots[i].flushed = s->slots[i].count;
  for (size_t sec = LEARNED_WRITTEN; sec < LEARNED_SECTION_COUNT; sec++)
    for (size_t i = 0; i < s->paths[sec].len; i++)
      s->paths[sec].items[i].count = 0;
  s->dirty = false;
}

struct json *
sightings_take (struct sightings *s, const char *name, const struct json *key)
{
  struct json *doc = learned_new (name, key);

  for (size_t i = 0; i < SIGHTINGS_SLOTS; i++)
    {
      const struct syscall_slot *slot = &s->slots[i];
      if (slot->used && slot->name != NULL && slot->count != slot->flushed)
        note (doc, LEARNED_SYSCALLS, slot->name, slot->count - slot->flushed, slot->first, slot->last);
    }
  for (size_t sec = LEARNED_WRITTEN; sec < LEARNED_SECTION_COUNT; sec++)
    for (size_t i = 0; i < s->paths[sec].len; i++)
      {
        const struct path_sighting *p = &s->paths[sec].items[i];
        if (p->count > 0)
          note (doc, (enum learned_section) sec, p->path, p->count, p->first, p->last);
      }
  sightings_take_nothing (s);
  return doc;
}

void
sightings_release (struct sightings *s)
{
  for (size_t i = 0; i < SIGHTINGS_SLOTS; i++)
    free (s->slots[i].name);
  for (size_t sec = 0; sec < LEARNED_SECTION_COUNT; sec++)
    {
      for (size_t i = 0; i < s->paths[sec].len; i++)
        free (s->paths[sec].items[i].path);
      free (s->paths[sec].items);
    }
  memset (s, 0, sizeof *s);
}
