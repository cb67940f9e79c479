/* The verbs: each is one file of src/cli/, listed in main.c's tables.
 *
 * runc's verbs take the whole command line (runc's argv, parsed) and
 * return an exit status only when the runtime was not run: on success the
 * process has become runc. hardrun's own verbs take argv from their word
 * on and return their exit status. */
#ifndef HARDRUN_VERBS_H
#define HARDRUN_VERBS_H

#include <stdint.h>

#include "cli/argv.h"

struct verb_call
{
  const struct runc_argv *args;
  int argc;
  char *const *argv;
  uint64_t start_us; /* when hardrun started (monotonic) */
};

typedef int (*verb_fn) (const struct verb_call *call);

int verb_create (const struct verb_call *call);      /* create, run, restore: create.c */
int verb_start (const struct verb_call *call);       /* start.c */
int verb_delete (const struct verb_call *call);      /* delete.c */
int verb_exec (const struct verb_call *call);        /* exec.c */
int verb_signal (const struct verb_call *call);      /* kill, pause, resume: kill.c */
int verb_update (const struct verb_call *call);      /* update.c */
int verb_checkpoint (const struct verb_call *call);  /* checkpoint.c */
int verb_passthrough (const struct verb_call *call); /* every other command: passthrough.c */
int verb_about (const struct verb_call *call);       /* --version, --help, no command: about.c */

/* `hardrun check [--json] [--print-config] [--assume-lsm L] BUNDLE|CONFIG`:
 * decide, change nothing. Exit 0: would start; 1: would refuse; 2:
 * unreadable input or configuration. */
int check_main (int argc, char *const argv[]);
/* `hardrun doctor`: what this host gives hardrun. */
int doctor_main (int argc, char *const argv[]);
/* `hardrun profiles show|install`. */
int profiles_main (int argc, char *const argv[]);
/* `hardrun inspect [--json] ID`: a container's forensic record. */
int inspect_main (int argc, char *const argv[]);
/* `hardrun learned list|show|diff|promote|import|export`. */
int learned_main (int argc, char *const argv[]);
/* `hardrun version`: hardrun's version line (about.c). */
int version_main (int argc, char *const argv[]);
/* `hardrun history [--json] [--namespace P] [--image P] [-n N]`. */
int history_main (int argc, char *const argv[]);

#endif
