#!/usr/bin/env bash
# A throwaway one-node SLURM cluster on this machine, for the integration test
# of sharded sweeps (test/integration/slurm.test.ts) and for trying
# examples/slurm/ by hand. Needs root and Debian's slurm-wlm and munge
# (apt-get install -y --no-install-recommends slurm-wlm munge).
#
#   scripts/slurm-cluster.sh up STATE_DIR     start munged, slurmctld, slurmd; wait until the node is idle
#   scripts/slurm-cluster.sh down STATE_DIR   stop exactly the daemons `up` started (by their pids)
#   scripts/slurm-cluster.sh env STATE_DIR    print the SLURM_CONF line the clients (sbatch, squeue) need
#
# Everything lives in STATE_DIR (slurm.conf, state, spool, logs, the pid of each
# daemon started) but munged's files: a munged of its own, with its own socket
# in /run/actbench-munge-<hash of STATE_DIR>/ (removed by down), so a machine's
# real munged is never touched. No systemd: each daemon daemonises itself.
# No cgroups: proctrack/linuxproc and task/none. Exits non-zero, with the
# daemons' log tails, when the cluster does not come up within the timeout
# (ACTBENCH_SLURM_TIMEOUT seconds, default 60), after stopping what it started.
set -euo pipefail

cmd=${1:-}
state=${2:-}
if [[ -z "$cmd" || -z "$state" ]]; then
  echo "usage: $0 up|down|env STATE_DIR" >&2
  exit 2
fi
if [[ "$cmd" == up ]]; then mkdir -p "$state"; fi
if [[ ! -d "$state" ]]; then
  [[ "$cmd" == down ]] && exit 0 # nothing was started there
  echo "slurm-cluster: no folder $state" >&2
  exit 2
fi
state=$(cd "$state" && pwd)
conf="$state/slurm.conf"
pids="$state/started.pids"   # "name pid" per line: only what this script started
hosts_mark="# actbench slurm-cluster $state"

log() { echo "slurm-cluster: $*" >&2; }

# munged's folder for this STATE_DIR: /run/actbench-munge-<hash of the path>.
munge_dir() { echo "/run/actbench-munge-$(printf %s "$state" | sha1sum | cut -c1-12)"; }

pid_alive() { kill -0 "$1" 2>/dev/null; }

# Stops the daemons listed in the pid file (TERM, then KILL after 10 s), and
# removes the /etc/hosts line `up` added, if any.
down() {
  if [[ -f "$pids" ]]; then
    while read -r name pid; do
      [[ -n "$pid" ]] || continue
      if pid_alive "$pid"; then
        log "stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
      fi
    done < "$pids"
    for _ in $(seq 1 100); do
      alive=0
      while read -r name pid; do pid_alive "$pid" && alive=1; done < "$pids"
      [[ $alive -eq 0 ]] && break
      sleep 0.1
    done
    while read -r name pid; do
      if pid_alive "$pid"; then
        log "$name (pid $pid) ignored TERM: KILL"
        kill -KILL "$pid" 2>/dev/null || true
      fi
    done < "$pids"
    rm -f "$pids"
  fi
  rm -rf "$(munge_dir)"
  if grep -qF "$hosts_mark" /etc/hosts 2>/dev/null; then
    grep -vF "$hosts_mark" /etc/hosts > "$state/hosts.new" && cat "$state/hosts.new" > /etc/hosts && rm -f "$state/hosts.new"
  fi
}

# The pid a daemon wrote to its pid file, waiting up to 10 s for it to appear.
read_pid() {
  local file=$1
  for _ in $(seq 1 100); do
    if [[ -s "$file" ]]; then
      cat "$file"
      return 0
    fi
    sleep 0.1
  done
  return 1
}

# Adds a started daemon to the pid file (so that down, and fail, stop it).
record() {
  local pid
  pid=$(read_pid "$2") || fail "$1 wrote no pid file ($2)"
  echo "$1 $pid" >> "$pids"
}

fail() {
  log "$1"
  for f in "$(munge_dir)"/munged.log "$state"/slurmctld.log "$state"/slurmd.log; do
    [[ -f "$f" ]] && { echo "--- last lines of $f" >&2; tail -n 15 "$f" >&2; }
  done
  down
  exit 1
}

up() {
  [[ $(id -u) -eq 0 ]] || { log "must run as root (slurmd starts jobs as their users)"; exit 1; }
  for bin in munged slurmctld slurmd sbatch scontrol sinfo runuser; do
    command -v "$bin" >/dev/null || { log "$bin not found; install: apt-get install -y --no-install-recommends slurm-wlm munge"; exit 1; }
  done
  if [[ -f "$pids" ]]; then
    log "$pids exists: a cluster from this folder may still be up; run: $0 down $state"
    exit 1
  fi
  : > "$pids"
  local host timeout cpus
  host=$(hostname -s)
  timeout=${ACTBENCH_SLURM_TIMEOUT:-60}
  cpus=$(nproc)
  # slurmctld and slurmd look their host up by name.
  if ! getent hosts "$host" >/dev/null; then
    log "$host does not resolve: adding it to /etc/hosts (removed by down)"
    echo "127.0.0.1 $host $hosts_mark" >> /etc/hosts
  fi

  # munged of our own: its own socket, pid, log and seed files, the machine's key. It runs as
  # the munge user, which may not reach STATE_DIR (mktemp -d makes 0700 folders): its folder is in /run.
  local mdir
  mdir=$(munge_dir)
  mkdir -p "$mdir"
  chown munge:munge "$mdir"
  chmod 0755 "$mdir"
  local key=/etc/munge/munge.key
  if [[ ! -s "$key" ]]; then
    key="$mdir/munge.key"
    runuser -u munge -- mungekey --create --keyfile="$key" || fail "cannot create a munge key"
  fi
  # A socket path must fit in sun_path (108 bytes).
  local socket="$mdir/socket"
  runuser -u munge -- /usr/sbin/munged --socket="$socket" --key-file="$key" --pid-file="$mdir/munged.pid" \
    --log-file="$mdir/munged.log" --seed-file="$mdir/munged.seed" --force \
    || fail "munged did not start"
  record munged "$mdir/munged.pid"

  mkdir -p "$state/ctld" "$state/spool"
  cat > "$conf" <<EOF
# Written by scripts/slurm-cluster.sh: one node, this machine, no cgroups, no accounting.
ClusterName=actbench
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
SchedulerParameters=sched_min_interval=100000
DependencyParameters=kill_invalid_depend
ReturnToService=2
MailProg=/bin/true
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$conf"
  # -c: a clean start (no jobs from an earlier cluster in this folder).
  slurmctld -c || fail "slurmctld did not start"
  record slurmctld "$state/slurmctld.pid"
  slurmd -c || fail "slurmd did not start"
  record slurmd "$state/slurmd.pid"

  local deadline=$((SECONDS + timeout)) node_state=""
  while ((SECONDS < deadline)); do
    node_state=$(sinfo -h -N -n "$host" -o '%T' 2>/dev/null || true)
    if [[ "$node_state" == idle* ]]; then
      log "up: node $host idle with $cpus CPUs; export SLURM_CONF=$conf"
      return 0
    fi
    sleep 0.5
  done
  fail "the node did not become idle within ${timeout}s (state: ${node_state:-none})"
}

case "$cmd" in
  up) up ;;
  down) down ;;
  env) echo "SLURM_CONF=$conf" ;;
  *) echo "usage: $0 up|down|env STATE_DIR" >&2; exit 2 ;;
esac
