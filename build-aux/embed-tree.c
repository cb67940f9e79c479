/* embed-tree SYMBOL FILE...: print C definitions of the JSON trees parsed
 * from FILE (comments allowed), as static read-only struct json nodes, so a
 * launch reads the built-in profiles without parsing them. Each tree is
 * `const struct json *const SYMBOL_FILEBASE`. Source offsets are kept: errors
 * about a built-in profile still name its line. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "spec/json.h"

struct emitter
{
  const char *prefix;
  unsigned next;
};

static void
emit_bytes (const char *s, size_t len)
{
  putchar ('"');
  for (size_t i = 0; i < len; i++)
    {
      unsigned char c = (unsigned char) s[i];
      if (c == '"' || c == '\\' || c == '?')
        printf ("\\%c", c);
      else if (c >= 0x20 && c < 0x7f)
        putchar (c);
      else
        printf ("\\%03o", c);
    }
  putchar ('"');
}

/* Children first, so each node's initializer names defined objects;
   returns the node's number. */
static unsigned
emit (struct emitter *e, const struct json *v)
{
  unsigned id, *kids = NULL;
  size_t n = v->type == JSON_ARRAY ? v->arr.len : v->type == JSON_OBJECT ? v->obj.len : 0;

  if (n > 0)
    {
      kids = calloc (n, sizeof *kids);
      if (kids == NULL)
        abort ();
      for (size_t i = 0; i < n; i++)
        kids[i] = emit (e, v->type == JSON_ARRAY ? v->arr.items[i] : v->obj.members[i].value);
    }
  id = e->next++;
  if (v->type == JSON_ARRAY && n > 0)
    {
      printf ("static struct json *const %s_items%u[] = {", e->prefix, id);
      for (size_t i = 0; i < n; i++)
        printf ("%s(struct json *) &%s_n%u", i ? ", " : " ", e->prefix, kids[i]);
      printf (" };\n");
    }
  if (v->type == JSON_OBJECT && n > 0)
    {
      printf ("static const struct json_member %s_members%u[] = {\n", e->prefix, id);
      for (size_t i = 0; i < n; i++)
        {
          printf ("  { (char *) ");
          emit_bytes (v->obj.members[i].key, v->obj.members[i].key_len);
          printf (", %zu, (struct json *) &%s_n%u },\n", v->obj.members[i].key_len, e->prefix,
                  kids[i]);
        }
      printf ("};\n");
    }
  printf ("static const struct json %s_n%u = { .type = %d, .is_static = true, .offset = %zu", e->prefix,
          id, (int) v->type, v->offset);
  switch (v->type)
    {
    case JSON_BOOL:
      printf (", .boolean = %s", v->boolean ? "true" : "false");
      break;
    case JSON_STRING:
    case JSON_NUMBER:
      printf (", .str = { (char *) ");
      emit_bytes (v->str.text, v->str.len);
      printf (", %zu }", v->str.len);
      break;
    case JSON_ARRAY:
      if (n > 0)
        printf (", .arr = { (struct json **) %s_items%u, %zu, %zu }", e->prefix, id, n, n);
      break;
    case JSON_OBJECT:
      if (n > 0)
        printf (", .obj = { (struct json_member *) %s_members%u, %zu, %zu }", e->prefix, id, n, n);
      break;
    case JSON_NULL:
      break;
    }
  printf (" };\n");
  free (kids);
  return id;
}

static char *
read_all (const char *path, size_t *len)
{
  FILE *f = fopen (path, "rb");
  struct stat st;
  char *buf;

  if (f == NULL || fstat (fileno (f), &st) < 0)
    return NULL;
  buf = malloc ((size_t) st.st_size + 1);
  if (buf == NULL || fread (buf, 1, (size_t) st.st_size, f) != (size_t) st.st_size)
    {
      free (buf);
      fclose (f);
      return NULL;
    }
  fclose (f);
  buf[st.st_size] = '\0';
  *len = (size_t) st.st_size;
  return buf;
}

int
main (int argc, char **argv)
{
  if (argc != 3)
    {
      fprintf (stderr, "usage: embed-tree SYMBOL FILE\n");
      return 2;
    }
  const char *symbol = argv[1], *path = argv[2];
  const char *base = strrchr (path, '/') ? strrchr (path, '/') + 1 : path;
  struct hr_error err = { 0 };
  struct json *tree = NULL;
  size_t len = 0;
  char *text = read_all (path, &len);
  struct emitter e = { symbol, 0 };
  unsigned root;

  if (text == NULL)
    {
      perror (path);
      return 1;
    }
  if (json_parse (text, len, JSON_PARSE_COMMENTS, &tree, &err) < 0)
    {
      fprintf (stderr, "%s: %s\n", path, err.msg);
      free (text);
      return 1;
    }
  printf ("/* Generated from %s by build-aux/embed-tree; do not edit. */\n", base);
  printf ("#include \"config.h\"\n#include \"spec/json.h\"\n");
  root = emit (&e, tree);
  printf ("const struct json *const %s = &%s_n%u;\n", symbol, symbol, root);
  json_free (tree);
  free (text);
  return 0;
}
