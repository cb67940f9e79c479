/* hardrun's seccomp agent for one container: the socket runc connects to
 * (linux.seccomp.listenerPath) for the container's init and for every
 * exec, each connection handing it a seccomp notify fd.
 *
 *   record:  every notified syscall goes on (CONTINUE) and is counted, with
 *            the paths written and binaries exec'd; flushed to the learned
 *            store every few seconds and when the container ends;
 *   enforce: a notified syscall is one the learned profile never saw: it is
 *            answered ENOSYS and logged in the decision log.
 *
 * The agent is its own session, apart from hardrun (which becomes runc) and
 * the engine. It ends when every process under its filters has gone, or
 * when no container appears. If it dies, the kernel answers every notified
 * syscall ENOSYS: a recording container then fails, an enforcing one goes
 * on refusing exactly what it refused, unlogged. */
#ifndef HARDRUN_AGENT_H
#define HARDRUN_AGENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"
#include "policy/policy.h"
#include "spec/json.h"

struct agent_job
{
  enum learning_mode mode; /* LEARNING_RECORD or LEARNING_ENFORCE */
  const char *socket_path;
  const char *state_dir;
  const char *container_id;
  const char *runc_state; /* runc's directory of the container: gone means no container */
  const char *name;       /* the learned profile */
  const struct json *key;
  int64_t promote_after;
  const char *decision_log;
  bool syslog;
};

/* Listen on job->socket_path and leave the agent running on its own.
 * *pid is the agent's. */
int agent_start (const struct agent_job *job, pid_t *pid, struct hr_error *err);

enum agent_state
{
  AGENT_NONE,      /* no socket: no agent, or one that ended with its container */
  AGENT_LISTENING,
  AGENT_GONE,      /* its socket is there, nobody listens: it was killed */
};

/* Whether an agent listens on socket_path (a connection it drops at once). */
enum agent_state agent_listening (const char *socket_path);

#endif
