/* What the recorder saw since its last flush: counts per (arch, syscall)
 * and the paths written and exec'd, turned into a learned document to
 * merge into the store. */
#ifndef HARDRUN_AGENT_SIGHTINGS_H
#define HARDRUN_AGENT_SIGHTINGS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "learn/learned.h"
#include "spec/json.h"

#define SIGHTINGS_SLOTS 2048 /* (arch, nr) pairs; a workload makes a few hundred */

/* The paths a syscall names that the recorder reads: up to two, each an
 * argument holding the path and one holding its directory fd (-1: the
 * working directory). flags_arg >= 0: a write only when the open flags
 * there ask for one. */
struct syscall_paths
{
  enum learned_section section; /* LEARNED_WRITTEN or LEARNED_EXECS */
  int flags_arg;
  int dirfd_arg[2];
  int path_arg[2]; /* -1: none */
};

struct syscall_slot
{
  bool used;
  uint32_t arch;
  int32_t nr;
  char *name; /* libseccomp's, resolved once */
  const struct syscall_paths *paths; /* NULL: none read */
  uint64_t count, flushed;
  time_t first, last; /* of the sightings not yet flushed */
};

struct path_sighting
{
  char *path;
  uint64_t count;
  time_t first, last;
};

struct path_set
{
  struct path_sighting *items;
  size_t len;
};

struct sightings
{
  struct syscall_slot slots[SIGHTINGS_SLOTS];
  struct path_set paths[LEARNED_SECTION_COUNT]; /* written and execs; syscalls unused */
  bool dirty;
};

/* The slot of (arch, nr), made on first sight (NULL when the table is full). */
struct syscall_slot *sightings_slot (struct sightings *s, uint32_t arch, int32_t nr);
void sightings_path (struct sightings *s, enum learned_section sec, const char *path, time_t now);
/* The document of what is not flushed yet, under name and key; marks it
 * flushed. */
struct json *sightings_take (struct sightings *s, const char *name, const struct json *key);
/* Mark everything flushed without making the document (a copy of the agent
 * made it). */
void sightings_take_nothing (struct sightings *s);
void sightings_release (struct sightings *s);

#endif
