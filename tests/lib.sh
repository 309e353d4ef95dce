# Shared by the fault tests (chaos.sh, network.sh): sourced, not run.

step() { echo; echo "=== $*"; }

wait_for() { # what seconds command...: polls the command every 0.5 s until it succeeds, or fails naming what
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 $((seconds * 2))); do "$@" && return 0; sleep 0.5; done
  echo "timed out after ${seconds}s: $what"
  return 1
}
