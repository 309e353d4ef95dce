# Shared by the scripts that run a mesh (chaos.sh, network.sh, rebuild.sh, tls.sh, .ci/smoke): sourced, not run.

step() { echo; echo "=== $*"; }

wait_for() { # what seconds command...: polls the command every 0.5 s until it succeeds, or fails naming what
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 $((seconds * 2))); do "$@" && return 0; sleep 0.5; done
  echo "timed out after ${seconds}s: $what"
  return 1
}

wait_up() { # log pid: waits up to 90 s for ./shopmesh up's banner in log; else shows the log and exits 1
  local log=$1 pid=$2
  for _ in $(seq 1 90); do
    grep -q "shopmesh is up" "$log" && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "shopmesh up exited"; exit 1; }
    sleep 1
  done
  cat "$log"; echo "shopmesh up did not come up within 90 s"; exit 1
}
