/* A runtime that does nothing: the delegate hardrun execs in the benchmark. */
int
main (void)
{
  return 0;
}
