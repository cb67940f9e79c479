/* hardrun-init [-r PATH] [-w PATH] [-x PATH] [-X PATH] [-n PATH] [-b PORT] [-c PORT] [-m] [-s] [-R] [-A ABI] -- CMD [ARG]...
 *
 * Restricts itself with Landlock, then execs CMD: read (and list) beneath
 * each -r PATH, also write, create and remove beneath each -w PATH, also
 * execute beneath each -x PATH; nothing else of the filesystem. -X PATH:
 * execute beneath PATH but nowhere beneath a -n PATH, as the container's
 * tree stands now that runc made every mount: the directories above each
 * -n path are listed and their other entries allowed one by one, and -n
 * paths are found by what they are, not their names, so a mount that a
 * symlink moved, or a directory bound twice, is still cut out. -m: every
 * writable mount of the container's mount table is a -n path too, and so
 * is what a read-only mount of the same filesystem shows of one; every -w
 * path but the root is one. -A ABI: the Landlock ABI hardrun found on the
 * host; less here (a seccomp filter that answers the probe) refuses. With -b, TCP
 * bind only to those ports; with -c, connect only to those (ABI 4); a side
 * no rule names stays unlimited. -s scopes abstract unix sockets and
 * signals to the container's own domain (ABI 6). What the kernel's ABI
 * lacks is left out (below ABI 2: no Landlock at all; hardrun already
 * logged that); from ABI 7 the kernel's audit log has the workload's
 * denials. -R: as pid 1, CMD runs as a child, signals are passed on, every
 * orphan reaped, and the exit status is CMD's.
 *
 * Exit status 126 when the ruleset cannot be applied (the workload does
 * not run unrestricted), 127 when CMD cannot be executed. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

#define LL_CREATE_RULESET_VERSION (1u << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_RULE_NET_PORT 2

#define FS_EXECUTE (1ull << 0)
#define FS_WRITE_FILE (1ull << 1)
#define FS_READ_FILE (1ull << 2)
#define FS_READ_DIR (1ull << 3)
#define FS_REMOVE_DIR (1ull << 4)
#define FS_REMOVE_FILE (1ull << 5)
#define FS_MAKE_CHAR (1ull << 6)
#define FS_MAKE_DIR (1ull << 7)
#define FS_MAKE_REG (1ull << 8)
#define FS_MAKE_SOCK (1ull << 9)
#define FS_MAKE_FIFO (1ull << 10)
#define FS_MAKE_BLOCK (1ull << 11)
#define FS_MAKE_SYM (1ull << 12)
#define FS_REFER (1ull << 13)     /* ABI 2 */
#define FS_TRUNCATE (1ull << 14)  /* ABI 3 */
#define FS_IOCTL_DEV (1ull << 15) /* ABI 5 */
#define NET_BIND_TCP (1ull << 0)  /* ABI 4 */
#define NET_CONNECT_TCP (1ull << 1)
#define SCOPE_ABSTRACT_UNIX (1ull << 0) /* ABI 6 */
#define SCOPE_SIGNAL (1ull << 1)
#define RESTRICT_LOG_NEW_EXEC_ON (1u << 1) /* ABI 7 */

#define FS_READ (FS_READ_FILE | FS_READ_DIR)
#define FS_WRITE                                                                                       \
  (FS_READ | FS_WRITE_FILE | FS_REMOVE_DIR | FS_REMOVE_FILE | FS_MAKE_CHAR | FS_MAKE_DIR | FS_MAKE_REG \
   | FS_MAKE_SOCK | FS_MAKE_FIFO | FS_MAKE_BLOCK | FS_MAKE_SYM | FS_REFER | FS_TRUNCATE | FS_IOCTL_DEV)
#define FS_FILE_RIGHTS (FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV)

#define MAX_RULES 1024
/* what -X may add: the entries of the directories above the -n paths */
#define MAX_COVER_RULES 65536
#define MAX_SHUT 8192
#define MAX_MOUNTS 8192
#define MAX_DEPTH 64

struct ruleset_attr
{
  uint64_t handled_access_fs;
  uint64_t handled_access_net;
  uint64_t scoped;
};

struct path_beneath
{
  uint64_t allowed_access;
  int32_t parent_fd;
} __attribute__ ((packed));

struct net_port
{
  uint64_t allowed_access;
  uint64_t port;
};

struct rule
{
  char kind; /* 'r', 'w', 'x', 'X', 'n', 'b', 'c' */
  const char *arg;
};

struct file_id
{
  dev_t dev;
  ino_t ino;
};

/* -X's cut: what -n paths are, and every directory above them */
struct cut
{
  struct file_id shut[MAX_SHUT];
  int n_shut;
  struct file_id above[MAX_SHUT * MAX_DEPTH];
  int n_above;
  int n_rules;
};

struct plan
{
  struct rule rules[MAX_RULES];
  int n_rules;
  int scope, reap, mounts;
  int min_abi; /* -A: the ABI hardrun found on the host */
  char **cmd;
};

static int
die (const char *what, int err)
{
  fprintf (stderr, "hardrun-init: %s: %s\n", what, strerror (err));
  return 126;
}

static int
is_port (const char *s)
{
  size_t n = strspn (s, "0123456789");
  return n > 0 && n <= 5 && s[n] == '\0' && strtoul (s, NULL, 10) <= 65535;
}

/* 0, or the exit status of a bad command line. */
static int
parse (int argc, char **argv, struct plan *p)
{
  int i;

  memset (p, 0, sizeof *p);
  for (i = 1; i < argc && strcmp (argv[i], "--") != 0; i++)
    {
      const char *o = argv[i];
      if (strcmp (o, "-s") == 0)
        p->scope = 1;
      else if (strcmp (o, "-m") == 0)
        p->mounts = 1;
      else if (strcmp (o, "-R") == 0)
        p->reap = 1;
      else if (strcmp (o, "-A") == 0 && i + 1 < argc && strspn (argv[i + 1], "0123456789") == strlen (argv[i + 1])
               && strlen (argv[i + 1]) > 0 && strlen (argv[i + 1]) < 4)
        p->min_abi = atoi (argv[++i]);
      else if (o[0] == '-' && strchr ("rwxXnbc", o[1]) && o[1] && !o[2] && i + 1 < argc && p->n_rules < MAX_RULES
               && (!strchr ("bc", o[1]) || is_port (argv[i + 1])))
        p->rules[p->n_rules++] = (struct rule){ o[1], argv[++i] };
      else
        {
          fprintf (stderr, "hardrun-init: bad argument %s\n", o);
          return 126;
        }
    }
  if (i + 1 >= argc)
    {
      fprintf (stderr, "usage: hardrun-init [-r|-w|-x|-X|-n PATH] [-b|-c PORT] [-m] [-s] [-R] [-A ABI] -- CMD [ARG]...\n");
      return 126;
    }
  p->cmd = argv + i + 1;
  return 0;
}

static uint64_t
fs_handled (int abi)
{
  uint64_t h = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_READ_DIR | FS_REMOVE_DIR | FS_REMOVE_FILE
               | FS_MAKE_CHAR | FS_MAKE_DIR | FS_MAKE_REG | FS_MAKE_SOCK | FS_MAKE_FIFO | FS_MAKE_BLOCK
               | FS_MAKE_SYM | FS_REFER;
  if (abi >= 3)
    h |= FS_TRUNCATE;
  if (abi >= 5)
    h |= FS_IOCTL_DEV;
  return h;
}

/* A rule on what fd is: a file takes only the rights a file has. */
static int
add_fd (int ruleset, int fd, const struct stat *st, uint64_t want, uint64_t handled, const char *what)
{
  struct path_beneath pb;

  if (!S_ISDIR (st->st_mode))
    want &= FS_FILE_RIGHTS;
  pb.allowed_access = want & handled;
  pb.parent_fd = fd;
  return syscall (SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &pb, 0) < 0 ? die (what, errno) : 0;
}

/* A path rule; a path that does not exist has nothing to allow. */
static int
add_path (int ruleset, const struct rule *r, uint64_t handled)
{
  uint64_t want = r->kind == 'r' ? FS_READ : r->kind == 'w' ? FS_WRITE : FS_READ | FS_EXECUTE;
  struct stat st;
  int fd = open (r->arg, O_PATH | O_CLOEXEC);
  int rc;

  /* what the process cannot reach, it has no use of a rule for */
  if (fd < 0)
    return errno == ENOENT || errno == ENOTDIR || errno == EACCES ? 0 : die (r->arg, errno);
  rc = fstat (fd, &st) < 0 ? die (r->arg, errno) : add_fd (ruleset, fd, &st, want, handled, r->arg);
  close (fd);
  return rc;
}

static struct file_id
id_of (const struct stat *st)
{
  return (struct file_id){ st->st_dev, st->st_ino };
}

static int
id_in (const struct file_id *set, int n, struct file_id id)
{
  for (int i = 0; i < n; i++)
    if (set[i].dev == id.dev && set[i].ino == id.ino)
      return 1;
  return 0;
}

/* The directory what fd is lies in: itself, or, for a file (or a
 * directory the process may not search), the directory the kernel names
 * as its place, checked to hold that very file (a name a symlink or a
 * rename led elsewhere would walk up the wrong tree). */
static int
open_dir_of (int fd, const struct stat *st)
{
  char link[40], real[4096];
  struct stat again;
  ssize_t n;
  char *slash;
  int dir;

  /* a directory the process may not search: the one it is in */
  if (S_ISDIR (st->st_mode) && (dir = openat (fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0)
    return dir;
  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  n = readlink (link, real, sizeof real - 1);
  if (n <= 0 || real[0] != '/')
    return -1;
  real[n] = '\0';
  /* a bind of a file the host has replaced since: still the same file here */
  if ((size_t) n > strlen (" (deleted)") && strcmp (real + n - strlen (" (deleted)"), " (deleted)") == 0)
    real[n - strlen (" (deleted)")] = '\0';
  slash = strrchr (real, '/');
  *slash = '\0';
  dir = open (slash == real ? "/" : real, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0 && (fstatat (dir, slash + 1, &again, AT_SYMLINK_NOFOLLOW) < 0 || again.st_dev != st->st_dev
                   || again.st_ino != st->st_ino))
    {
      close (dir);
      return -1;
    }
  return dir;
}

/* Each directory from dir up to the root, by "..", as the kernel walks it
 * (across mounts): into ids, and whether one of them is in `set`. -1 where
 * the root is not reached (too deep, too many, unreadable): a cut that
 * missed a directory above would allow what it should cut out. */
static int
walk_up (int dir, struct file_id *ids, int *n, int max, const struct file_id *set, int n_set)
{
  char up[3 * MAX_DEPTH + 2] = ".";
  struct stat st, below;
  int found = 0, rc = -1;

  if (dir < 0)
    return -1;
  /* ".", "..", "../..": one lookup a level, each from dir */
  for (int depth = 0; depth < MAX_DEPTH && fstatat (dir, up, &st, AT_SYMLINK_NOFOLLOW) == 0; depth++)
    {
      if (depth > 0 && st.st_dev == below.st_dev && st.st_ino == below.st_ino)
        {
          rc = found; /* the root: its ".." is itself */
          break;
        }
      if (set != NULL && id_in (set, n_set, id_of (&st)))
        found = 1;
      /* no stop at a directory walked before: reached through another
         mount, the same directory has other directories above it */
      if (ids != NULL && !id_in (ids, *n, id_of (&st)))
        {
          if (*n == max)
            break;
          ids[(*n)++] = id_of (&st);
        }
      below = st;
      if (depth == 0)
        strcpy (up, "..");
      else
        strcat (up, "/..");
    }
  close (dir);
  return rc;
}

/* The mount fd is on, as statx says: 0, or -1 (a kernel before 5.8). */
static int
mount_id_of (int fd, uint64_t *id)
{
  struct statx sx;

  if (statx (fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx) < 0 || !(sx.stx_mask & STATX_MNT_ID))
    return -1;
  *id = sx.stx_mnt_id;
  return 0;
}

/* What fd is, and the directories above it. */
static int
add_shut_fd (struct cut *c, int fd, const char *path)
{
  struct stat st;

  if (fstat (fd, &st) < 0)
    return die (path, errno);
  /* the same directory may be shut again where another mount shows it:
     the walk is what differs */
  if (!id_in (c->shut, c->n_shut, id_of (&st)))
    {
      if (c->n_shut == MAX_SHUT)
        return die (path, E2BIG);
      c->shut[c->n_shut++] = id_of (&st);
    }
  /* a directory is above itself for the walk: its entries are listed */
  return walk_up (open_dir_of (fd, &st), c->above, &c->n_above, MAX_SHUT * MAX_DEPTH, NULL, 0) < 0
             ? die (path, ELOOP)
             : 0;
}

/* -n PATH. One that does not exist needs no cut. One the process may not
 * walk to it may still reach (a working directory, a descriptor it was
 * given): the nearest directory above it that opens is cut instead.
 * `mnt`, unless 0: the mount the mount table says is there, or the tree
 * changed under the walk. */
static int
add_shut (struct cut *c, const char *path, uint64_t mnt)
{
  char near[4096];
  uint64_t at;
  int fd = open (path, O_PATH | O_CLOEXEC), rc;

  if (fd < 0 && errno == EACCES && strlen (path) < sizeof near)
    {
      strcpy (near, path);
      for (char *slash; fd < 0 && errno == EACCES && (slash = strrchr (near, '/')) != NULL;)
        {
          *slash = '\0';
          fd = open (slash == near ? "/" : near, O_PATH | O_DIRECTORY | O_CLOEXEC);
        }
      mnt = 0;
    }
  /* a mount the table shows that its path no longer leads to: the tree
     changed under the walk */
  if (fd < 0)
    return (errno == ENOENT || errno == ENOTDIR) && mnt == 0 ? 0 : die (path, mnt != 0 ? ESTALE : errno);
  if (mnt != 0 && (mount_id_of (fd, &at) < 0 || at != mnt))
    rc = die (path, ESTALE);
  else
    rc = add_shut_fd (c, fd, path);
  close (fd);
  return rc;
}

/* A mount of the container's table (/proc/self/mountinfo). */
struct mount
{
  int id, parent;
  int hidden; /* under a mount stacked on it, or on one so */
  dev_t dev;
  char *root;  /* the path its files have in their filesystem */
  char *point; /* where it is, from the container's root */
  int writable;
};

/* mountinfo's octal escapes (\\040 for a space) undone: a new string. */
static char *
unescaped (const char *in)
{
  char *out = malloc (strlen (in) + 1);
  size_t n = 0;

  for (; out != NULL && *in; n++)
    if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] >= '0' && in[2] <= '7' && in[3] >= '0' && in[3] <= '7')
      {
        out[n] = (char) ((in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0'));
        in += 4;
      }
    else
      out[n] = *in++;
  if (out != NULL)
    out[n] = '\0';
  return out;
}

static int
has_option (const char *opts, const char *want)
{
  size_t n = strlen (want);

  for (const char *p = opts; p != NULL; p = strchr (p, ','), p = p ? p + 1 : NULL)
    if (strncmp (p, want, n) == 0 && (p[n] == ',' || p[n] == '\0'))
      return 1;
  return 0;
}

/* One line of mountinfo: "ID PARENT MAJ:MIN ROOT POINT OPTS [TAGS...] - TYPE SOURCE SUPER". */
static int
parse_mount (char *line, struct mount *m)
{
  char *f[6], *dash = strstr (line, " - "), *save = NULL, *super;
  unsigned maj, min;
  int i;

  if (dash == NULL)
    return -1;
  *dash = '\0';
  for (i = 0; i < 6 && (f[i] = strtok_r (i ? NULL : line, " ", &save)) != NULL; i++)
    ;
  /* after the dash: the type, the source (empty where a mount has none)
     and the superblock's options, one space apart, spaces escaped */
  super = strchr (dash + 3, ' ');
  super = super ? strchr (super + 1, ' ') : NULL;
  if (i < 6 || super == NULL || sscanf (f[2], "%u:%u", &maj, &min) != 2 || sscanf (f[0], "%d", &m->id) != 1
      || sscanf (f[1], "%d", &m->parent) != 1)
    return -1;
  super[strcspn (super, "\n")] = '\0';
  m->dev = makedev (maj, min);
  m->writable = has_option (f[5], "rw") && has_option (super + 1, "rw");
  m->root = unescaped (f[3]);
  m->point = unescaped (f[4]);
  return m->root != NULL && m->point != NULL ? 0 : -1;
}

/* Whether path lies at or beneath dir, as text ("/" holds all). */
static const char *
beneath (const char *path, const char *dir)
{
  size_t n = strcmp (dir, "/") == 0 ? 0 : strlen (dir);

  if (strncmp (path, dir, n) != 0 || (path[n] != '\0' && path[n] != '/'))
    return NULL;
  return path + n;
}

/* What a read-only mount shows of a writable one's files (the same
 * filesystem, one's root within the other's): cut out too. */
static int
shut_alias (struct cut *c, const struct mount *ro, const struct mount *rw)
{
  const char *below;
  char *path;
  int rc;

  if (ro->dev != rw->dev)
    return 0;
  if (beneath (ro->root, rw->root) != NULL)
    return add_shut (c, ro->point, (uint64_t) ro->id);
  if ((below = beneath (rw->root, ro->root)) == NULL)
    return 0;
  path = malloc (strlen (ro->point) + strlen (below) + 2);
  if (path == NULL)
    return die ("malloc", ENOMEM);
  sprintf (path, "%s%s", strcmp (ro->point, "/") == 0 ? "" : ro->point, below);
  rc = add_shut (c, path[0] ? path : "/", 0);
  free (path);
  return rc;
}

static int
index_of (const struct mount *m, int n, int id)
{
  for (int i = 0; i < n; i++)
    if (m[i].id == id)
      return i;
  return -1;
}

/* Whether another mount was stacked on m[i], at its very point
 * (containerd's sandbox binds /dev/shm over the tmpfs there). */
static int
covered (const struct mount *m, int n, int i)
{
  for (int j = 0; j < n; j++)
    if (j != i && m[j].parent == m[i].id && strcmp (m[j].point, m[i].point) == 0)
      return 1;
  return 0;
}

/* Whether a later mount on the same parent sits above m[i]'s point. */
static int
shadowed (const struct mount *m, int n, int i)
{
  for (int j = i + 1; j < n; j++)
    if (m[j].parent == m[i].parent && strcmp (m[j].point, m[i].point) != 0 && beneath (m[i].point, m[j].point))
      return 1;
  return 0;
}

/* Whether a path reaches the place m[i] is mounted on: up its parents,
 * none covered or shadowed, to the root of the container's table. */
static int
place_reachable (const struct mount *m, int n, int i)
{
  for (int depth = 0; depth < n; depth++)
    {
      int p = index_of (m, n, m[i].parent);
      if (p < 0)
        return 1;
      if (shadowed (m, n, i) || (strcmp (m[i].point, m[p].point) != 0 && covered (m, n, p)))
        return 0;
      i = p;
    }
  return 0; /* a loop in the table */
}

/* Which mounts no path reaches, from the table alone: no name in the
 * tree, which the workload may change, decides it. */
static void
mark_hidden (struct mount *m, int n)
{
  for (int i = 0; i < n; i++)
    m[i].hidden = covered (m, n, i) || !place_reachable (m, n, i);
}

/* -m: every writable mount but the root (its writability is the
 * config's, and said at create), and what read-only ones show of them,
 * from the kernel's table: no name in the tree, which the workload may
 * change before an exec, decides it. */
static int
add_writable_mounts (struct cut *c)
{
  struct mount *m = calloc (MAX_MOUNTS, sizeof *m);
  FILE *f = fopen ("/proc/self/mountinfo", "re");
  char *line = NULL;
  size_t cap = 0;
  int n = 0, rc = 0;

  if (m == NULL || f == NULL)
    rc = die ("/proc/self/mountinfo", m == NULL ? ENOMEM : errno);
  while (rc == 0 && getline (&line, &cap, f) > 0)
    if (n == MAX_MOUNTS || parse_mount (line, &m[n++]) < 0)
      rc = die ("/proc/self/mountinfo", n == MAX_MOUNTS ? E2BIG : EINVAL);
  if (rc == 0)
    mark_hidden (m, n);
  for (int i = 0; rc == 0 && i < n; i++)
    if (m[i].writable && !m[i].hidden && strcmp (m[i].point, "/") != 0)
      rc = add_shut (c, m[i].point, (uint64_t) m[i].id);
  for (int i = 0; rc == 0 && i < n; i++)
    for (int j = 0; rc == 0 && !m[i].writable && !m[i].hidden && j < n; j++)
      if (m[j].writable && !m[j].hidden)
        rc = shut_alias (c, &m[i], &m[j]);
  if (f != NULL)
    fclose (f);
  for (int i = 0; m != NULL && i < n; i++)
    {
      free (m[i].root);
      free (m[i].point);
    }
  free (line);
  free (m);
  return rc;
}

static int cover (int ruleset, struct cut *c, int fd, int depth, uint64_t handled);

/* The entries of a directory above a -n path, each covered on its own. */
static int
cover_entries (int ruleset, struct cut *c, int fd, int depth, uint64_t handled)
{
  int listed = openat (fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *d = listed >= 0 ? fdopendir (listed) : NULL;
  struct dirent *e;
  int rc = 0;

  if (d == NULL)
    {
      if (listed >= 0)
        close (listed);
      /* one it may enter but not list: nothing in it gets a rule, so
         nothing beside the cut place executes (closed, not open) */
      return errno == EACCES ? 0 : die ("list a directory above a -n path", errno);
    }
  while (rc == 0 && (e = readdir (d)) != NULL)
    {
      int child;
      /* a symlink is covered where it leads */
      if (strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0 || e->d_type == DT_LNK)
        continue;
      child = openat (dirfd (d), e->d_name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
      if (child < 0)
        continue; /* gone since it was listed */
      rc = cover (ruleset, c, child, depth + 1, handled);
      close (child);
    }
  closedir (d);
  return rc;
}

/* Execute beneath fd, but nowhere beneath a -n path. Symlinks are left
 * out: what they lead to is covered where it lies. */
static int
cover (int ruleset, struct cut *c, int fd, int depth, uint64_t handled)
{
  struct stat st;

  if (fstat (fd, &st) < 0)
    return die ("stat beneath -X", errno);
  if (S_ISLNK (st.st_mode) || id_in (c->shut, c->n_shut, id_of (&st)))
    return 0;
  if (S_ISDIR (st.st_mode) && id_in (c->above, c->n_above, id_of (&st)))
    return depth >= MAX_DEPTH ? die ("-X", ELOOP) : cover_entries (ruleset, c, fd, depth, handled);
  if (!S_ISDIR (st.st_mode) && !(S_ISREG (st.st_mode) && (st.st_mode & 0111)))
    return 0;
  if (++c->n_rules > MAX_COVER_RULES)
    return die ("-X", E2BIG);
  return add_fd (ruleset, fd, &st, FS_READ | FS_EXECUTE, handled, "-X");
}

/* -X PATH: nothing when PATH itself lies beneath a -n path. */
static int
cover_root (int ruleset, struct cut *c, const char *path, uint64_t handled)
{
  struct stat st;
  int fd = open (path, O_PATH | O_CLOEXEC), rc = 0, beneath = 0;

  if (fd < 0)
    return errno == ENOENT || errno == ENOTDIR || errno == EACCES ? 0 : die (path, errno);
  if (fstat (fd, &st) < 0)
    rc = die (path, errno);
  else if ((beneath = walk_up (open_dir_of (fd, &st), NULL, NULL, 0, c->shut, c->n_shut)) < 0)
    rc = die (path, ELOOP); /* the root not reached: where it lies is not known */
  else if (beneath)
    fprintf (stderr, "hardrun-init: %s lies where the workload writes: not executable\n", path);
  else
    rc = cover (ruleset, c, fd, 0, handled);
  close (fd);
  return rc;
}

static int
add_port (int ruleset, const struct rule *r)
{
  struct net_port np = { r->kind == 'b' ? NET_BIND_TCP : NET_CONNECT_TCP, strtoull (r->arg, NULL, 10) };
  return syscall (SYS_landlock_add_rule, ruleset, LL_RULE_NET_PORT, &np, 0) < 0 ? die (r->arg, errno) : 0;
}

/* Restrict this process as far as the ABI goes: 0, or 126. */
static int
restrict_self (const struct plan *p, int abi)
{
  struct ruleset_attr attr = { fs_handled (abi), 0, 0 };
  size_t size = abi >= 6 ? sizeof attr : abi >= 4 ? 2 * sizeof (uint64_t) : sizeof (uint64_t);
  struct cut *cut = NULL;
  int ruleset, rc = 0;

  /* only the side the rules name is limited: -b alone leaves connect free */
  for (int i = 0; abi >= 4 && i < p->n_rules; i++)
    attr.handled_access_net |= p->rules[i].kind == 'b' ? NET_BIND_TCP : p->rules[i].kind == 'c' ? NET_CONNECT_TCP : 0;
  if (p->scope && abi >= 6)
    attr.scoped = SCOPE_ABSTRACT_UNIX | SCOPE_SIGNAL;
  ruleset = (int) syscall (SYS_landlock_create_ruleset, &attr, size, 0);
  if (ruleset < 0)
    return die ("landlock_create_ruleset", errno);
  cut = calloc (1, sizeof *cut);
  if (cut == NULL)
    rc = die ("calloc", ENOMEM);
  /* every place to cut first, -X is cut around all of them: the -n
     paths, and what may be written, whatever else says so (the root
     where it is writable excepted: the config's, said at create) */
  for (int i = 0; rc == 0 && i < p->n_rules; i++)
    if (p->rules[i].kind == 'n' || (p->rules[i].kind == 'w' && strcmp (p->rules[i].arg, "/") != 0))
      rc = add_shut (cut, p->rules[i].arg, 0);
  if (rc == 0 && p->mounts)
    rc = add_writable_mounts (cut);
  for (int i = 0; rc == 0 && i < p->n_rules; i++)
    {
      const struct rule *r = &p->rules[i];
      if (r->kind == 'b' || r->kind == 'c')
        rc = abi >= 4 ? add_port (ruleset, r) : 0;
      else if (r->kind == 'X')
        rc = cover_root (ruleset, cut, r->arg, attr.handled_access_fs);
      else if (r->kind != 'n')
        rc = add_path (ruleset, r, attr.handled_access_fs);
    }
  free (cut);
  /* runc set no_new_privs already where the profile says so; Landlock
     needs it without CAP_SYS_ADMIN */
  if (rc == 0 && prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    rc = die ("no_new_privs", errno);
  /* from ABI 7 the kernel audits denials; by default not those after an
     exec, which is all the workload does */
  if (rc == 0 && syscall (SYS_landlock_restrict_self, ruleset, abi >= 7 ? RESTRICT_LOG_NEW_EXEC_ON : 0) < 0)
    rc = die ("landlock_restrict_self", errno);
  close (ruleset);
  return rc;
}

static int
status_of (int status)
{
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

/* As pid 1: the workload as a child, signals passed on, orphans reaped. */
static int
run_as_init (char **cmd)
{
  sigset_t all, old;
  pid_t child;

  sigfillset (&all);
  sigprocmask (SIG_BLOCK, &all, &old);
  child = fork ();
  if (child < 0)
    return die ("fork", errno);
  if (child == 0)
    {
      sigprocmask (SIG_SETMASK, &old, NULL);
      execvp (cmd[0], cmd);
      fprintf (stderr, "hardrun-init: %s: %s\n", cmd[0], strerror (errno));
      _exit (127);
    }
  for (;;)
    {
      siginfo_t info;
      int sig = sigwaitinfo (&all, &info), status;
      pid_t gone;

      if (sig != SIGCHLD)
        {
          if (sig > 0)
            kill (child, sig);
          continue;
        }
      while ((gone = waitpid (-1, &status, WNOHANG)) > 0)
        if (gone == child)
          return status_of (status);
    }
}

int
main (int argc, char **argv)
{
  struct plan p;
  int rc = parse (argc, argv, &p);
  int abi;

  if (rc != 0)
    return rc;
  abi = (int) syscall (SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
  /* only a kernel without Landlock is one: a filter that fails the probe
     otherwise, or answers less than hardrun found, does not turn it off */
  if (abi < 0 && errno != ENOSYS && errno != EOPNOTSUPP)
    return die ("landlock_create_ruleset", errno);
  if (abi < p.min_abi)
    {
      fprintf (stderr, "hardrun-init: Landlock ABI %d here, %d on the host: refusing to run unrestricted\n", abi,
               p.min_abi);
      return 126;
    }
  if (abi >= 2 && (rc = restrict_self (&p, abi)) != 0)
    return rc;
  if (p.reap && getpid () == 1)
    return run_as_init (p.cmd);
  execvp (p.cmd[0], p.cmd);
  fprintf (stderr, "hardrun-init: %s: %s\n", p.cmd[0], strerror (errno));
  return 127;
}
