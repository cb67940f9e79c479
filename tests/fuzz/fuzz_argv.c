/* libFuzzer: runc's command line, NUL-separated words. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/argv.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *buf = malloc (size + 1);
  char *argv[130] = { (char *) "hardrun" };
  int argc = 1;
  struct runc_argv out;
  struct hr_error err;

  memcpy (buf, data, size);
  buf[size] = '\0';
  for (size_t i = 0; i <= size && argc < 129;)
    {
      argv[argc++] = buf + i;
      i += strlen (buf + i) + 1;
    }
  argv[argc] = NULL;
  runc_argv_parse (argc, argv, &out, &err);
  free (buf);
  return 0;
}
