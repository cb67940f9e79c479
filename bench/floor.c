/* The floor: a static C program that only execs the runtime, as the leanest
 * possible wrapper would. FLOOR_TARGET names the runtime at build time. */
#include <unistd.h>

int
main (int argc, char *argv[])
{
  (void) argc;
  argv[0] = (char *) FLOOR_TARGET;
  execv (FLOOR_TARGET, argv);
  return 127;
}
