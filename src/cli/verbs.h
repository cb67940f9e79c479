/* hardrun's own verbs (runc has none of these names). */
#ifndef HARDRUN_COMMANDS_H
#define HARDRUN_COMMANDS_H

/* `hardrun check`: decide for a bundle or a bare config.json, change
 * nothing. argv starts at "check". Exit 0: would start; 1: would refuse;
 * 2: unreadable input or configuration. */
int check_main (int argc, char *const argv[]);
/* `hardrun profiles show|install`: argv starts at "profiles". */
int profiles_main (int argc, char *const argv[]);
/* `hardrun doctor`: what this host gives hardrun. argv starts at "doctor". */
int doctor_main (int argc, char *const argv[]);
/* `hardrun inspect [--json] ID`: a container's forensic record. */
int inspect_main (int argc, char *const argv[]);
/* `hardrun history [--json] [--namespace P] [--image P] [-n N]`. */
int history_main (int argc, char *const argv[]);

#endif
