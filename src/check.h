/* `hardrun check`: decide for a bundle or a bare config.json, change nothing. */
#ifndef HARDRUN_CHECK_H
#define HARDRUN_CHECK_H

/* argv starts at the word "check". Exit 0: would start; 1: would refuse;
 * 2: unreadable input or configuration. */
int check_main (int argc, char *const argv[]);

#endif
