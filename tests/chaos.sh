#!/usr/bin/env bash
# Fault tests: every service its own process, registered in a Redis of the test's own, traffic
# only on 127.0.0.1; each scenario ends with ./shopmesh audit, which must pass (0 lost orders,
# 0 double charges, 0 leaked stock). Bounded: 15 minutes. Cleans up its processes however it ends.
#   1. kill -9 one of 3 catalog replicas and one of 2 order-service replicas during 1,000 orders
#      at 25/s: at most 0.5 % client-visible failures;
#   2. payment-service down for 10 s during a run: orders fail fast or are rejected, stock comes back;
#   3. payment slowed past the deadline (it commits each charge and answers 6 s later): orders end
#      504 within their deadline and are compensated, no charge outlives its order;
#   6. a payment replica dies right after committing a charge, before replying: the retry with the
#      same key gets the stored charge;
#   8. order-service restarted replica by replica (SIGTERM, then started again) while 200 orders are
#      followed over TrackOrders through the gateway: every stream goes on, and gets each state once;
#   5. the whole stack killed with kill -9 right after 500 acknowledged orders, then restarted.
# (Numbered as in issue 6; its 4 and 7, one key sent 50 times and the last 10 units among 100
# clients, are Maven tests.)
# Uses the jars ./mvnw package built; the embedded store (each service's replicas share its SQLite
# file), or PostgreSQL when SHOPMESH_DB_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/lib.sh
if [ "${CHAOS_INNER:-}" != 1 ]; then
  CHAOS_INNER=1 exec timeout --kill-after=30 900 "$0" "$@"
fi

work=$(mktemp -d)
declare -A pids=()
cleanup() {
  status=$?
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  [ $status -eq 0 ] || { for f in "$work"/*.log; do echo "--- $f"; tail -5 "$f"; done; }
  # A failed run keeps its logs and databases (the last lines above seldom show the cause: in one
  # run, a circuit opened by an earlier scenario); CHAOS_KEEP=1 keeps them after a pass too.
  if [ -n "${CHAOS_KEEP:-}" ] || [ $status -ne 0 ]; then echo "kept $work"; else rm -rf "$work"; fi
  exit $status
}
trap cleanup EXIT

# Ports free now, not fixed ones: 26379 and 28080 clashed with another mesh or redis on the machine.
# Three distinct ports, all held while chosen (three separate picks could return the same one).
# Below the kernel's ephemeral range (as FreePort does in the Maven tests): a port the kernel gave
# a socket bound to 0 is one it also gives outgoing connections, and between this pick and Redis
# binding it, one took it ("Address already in use"; CI failed so, on PostgreSQL).
read -r redis_port http_port grpc_port < <(python3 -c '
import random, socket
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
held = []
while len(held) < 3:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", random.randrange(10000, low)))
        held.append(s)
    except OSError:
        s.close()
print(*(s.getsockname()[1] for s in held))')
gateway=http://127.0.0.1:$http_port
export SHOPMESH_DISCOVERY=redis://127.0.0.1:$redis_port \
  SHOPMESH_DATA_DIR=$work/data SHOPMESH_LOG_LEVEL=WARNING \
  SHOPMESH_HEARTBEAT_MS=500 SHOPMESH_LEASE_MS=2000 \
  SHOPMESH_SAGA_STALE_MS=8000 SHOPMESH_SAGA_SWEEP_MS=1000
cli() { java -jar cli/target/cli.jar "$@"; }

start() { # name service [flags...]
  local name=$1 service=$2
  shift 2
  # Vert.x's file cache under $work: a process killed with -9 cannot delete its /tmp/vertx-cache-*.
  java -Xmx256m -XX:+UseSerialGC -Dvertx.cacheDirBase="$work/vertx-cache" -jar "$service/target/$service.jar" "$@" >"$work/$name.log" 2>&1 &
  pids[$name]=$!
}
kill9() { kill -9 "${pids[$1]}"; wait "${pids[$1]}" 2>/dev/null || true; unset "pids[$1]"; echo "killed $1 (kill -9)"; }
term() { kill -TERM "${pids[$1]}"; wait "${pids[$1]}" 2>/dev/null || true; unset "pids[$1]"; echo "stopped $1 (SIGTERM)"; }

replicas() { # service -> number registered
  curl -sf "$gateway/api/mesh" | python3 -c "import json,sys; d=json.load(sys.stdin); print(sum(len(s['replicas']) for s in d['services'] if s['name']=='$1'))" 2>/dev/null || echo 0
}
has() { [ "$(replicas "$1")" = "$2" ]; }

mesh_up() { # catalog order payment counts
  start catalog-1 catalog-service
  start gateway gateway --http-port="$http_port" --grpc-port="$grpc_port"
  wait_for "catalog-1" 60 has catalog-service 1
  for i in $(seq 2 "$1"); do start "catalog-$i" catalog-service; done
  for i in $(seq 1 "$2"); do start "order-$i" order-service; done
  for i in $(seq 1 "$3"); do start "payment-$i" payment-service; done
  wait_for "catalog" 90 has catalog-service "$1" \
    && wait_for "order" 90 has order-service "$2" && wait_for "payment" 90 has payment-service "$3"
}

redis-server --port $redis_port --bind 127.0.0.1 --save "" --appendonly no >"$work/redis.log" 2>&1 &
pids[redis]=$!

step "1. kill -9 a catalog and an order-service replica during 1,000 orders at 25/s"
mesh_up 3 2 1
# Warm the JVMs first: on a small machine a cold mesh misses deadlines that a warm one meets.
cli order --count 300 --concurrency 8 --ids-file "$work/warm.ids" --gateway "$gateway" >/dev/null
cli order --count 1000 --rate 25 --ids-file "$work/s1.ids" --max-failed-percent 0.5 --gateway "$gateway" &
load=$!
sleep 8
kill9 catalog-2
kill9 order-2
wait $load
cli audit --gateway "$gateway" --ids-file "$work/s1.ids" --settle-seconds 60

step "2. payment-service down for 10 s during a run"
cli order --duration 20 --rate 40 --ids-file "$work/s2.ids" --max-failed-percent 100 --gateway "$gateway" &
load=$!
sleep 4
kill9 payment-1
sleep 10
start payment-1 payment-service
wait $load
# The audit lists the charges: it waits for payment-1 to be back, which a busy machine took longer
# to start than the load's last 6 s (until then the gateway answers 503, "no replica of payment-service").
cli audit --gateway "$gateway" --ids-file "$work/s2.ids" --settle-seconds 60

step "3. payment slowed past the deadline"
kill9 payment-1
wait_for "payment-1 out of the registry" 30 has payment-service 0
start payment-slow payment-service --fault-charge-reply-delay-ms=6000
wait_for "the slow payment replica" 60 has payment-service 1
# The gateway's view is the one checked; order-service re-reads the registry every second: give it
# three, or its first calls go to payment-1's dead address and fail UNAVAILABLE before any is slow
# (two were not enough once, in CI, with the machine busy).
sleep 3
# 15 orders, all sent before the first times out: fewer than the 20 failures that open the circuit,
# so each meets the slow replica rather than the open circuit's fast 503.
cli order --count 15 --rate 5 --attempts 1 --ids-file "$work/s3.ids" --max-failed-percent 100 --gateway "$gateway" \
  | tee "$work/s3.out"
# Every order is answered 504 by the gateway, none later than the 5 s deadline allows (the CLI's own
# timeout is 20 s).
# Summed over the summary's 504 lines: their words differ by which deadline ran out first.
# Each line's count is its word "xN" (the trace of its last order may follow it).
answered_504=$(awk '/^    HTTP 504/ { for (i = NF; i > 0; i--) if ($i ~ /^x[0-9]+$/) { n += substr($i, 2); break } } END { print n + 0 }' "$work/s3.out")
[ "$answered_504" = 15 ] || { echo "expected 15 orders answered 504, got $answered_504"; exit 1; }
max_ms=$(sed -n 's/.*max \([0-9.]*\) ms.*/\1/p' "$work/s3.out")
python3 -c "import sys; sys.exit(0 if float('$max_ms') < 6500 else 1)" || { echo "an order took $max_ms ms"; exit 1; }
cli audit --gateway "$gateway" --ids-file "$work/s3.ids" --settle-seconds 60
kill9 payment-slow
wait_for "the slow replica out of the registry" 30 has payment-service 0
start payment-1 payment-service
wait_for "payment-1 back" 60 has payment-service 1

step "6. a payment replica dies after committing a charge, before replying"
start payment-2 payment-service --fault-halt-after-charges=10
wait_for "2 payment replicas" 60 has payment-service 2
cli order --count 100 --rate 50 --ids-file "$work/s6.ids" --max-failed-percent 2 --gateway "$gateway"
grep -q "halting after committing charge 10" "$work/payment-2.log" || { echo "payment-2 did not halt"; exit 1; }
cli audit --gateway "$gateway" --ids-file "$work/s6.ids" --settle-seconds 60
unset "pids[payment-2]"

step "8. order-service restarted replica by replica while 200 orders are followed through the gateway"
start order-2 order-service
wait_for "2 order-service replicas" 60 has order-service 2
[ -d examples/node-greeting/node_modules ] || (cd examples/node-greeting && npm install --silent --no-audit --no-fund >/dev/null)
mkfifo "$work/restarted"
NODE_PATH=examples/node-greeting/node_modules node tests/node/follow-through-restart.js "127.0.0.1:$grpc_port" \
  proto/src/main/proto 200 "$work/s8.ids" <"$work/restarted" >"$work/follow.log" 2>&1 &
follow=$!
pids[follow]=$follow
exec 3>"$work/restarted"
following() { grep -q READY "$work/follow.log" && return 0; kill -0 "$follow" 2>/dev/null || { cat "$work/follow.log"; exit 1; }; return 1; }
wait_for "200 followed orders" 60 following
# As an operator rolls: the gateway sees each replica leave before it is started again, and back
# before the next one stops. Counted at once, the left replica, still in the gateway's view for up
# to a refresh, passed for the new one, and both replicas were down together.
for name in order-1 order-2; do
  term "$name"
  wait_for "$name gone" 60 has order-service 1
  start "$name" order-service
  wait_for "$name back" 60 has order-service 2
done
# Not killed by SIGPIPE, cleanup unrun, if the follower has died meanwhile: its status says so.
(trap '' PIPE; echo restarted >&3) 2>/dev/null || true
exec 3>&-
unset "pids[follow]"
wait $follow || { cat "$work/follow.log"; exit 1; }
cat "$work/follow.log"
cli audit --gateway "$gateway" --ids-file "$work/s8.ids" --settle-seconds 60

step "5. kill -9 the whole stack right after 500 acknowledged orders, restart"
cli order --count 500 --concurrency 16 --ids-file "$work/s5.ids" --gateway "$gateway"
for name in "${!pids[@]}"; do [ "$name" = redis ] || kill9 "$name"; done
mesh_up 1 1 1
cli audit --gateway "$gateway" --ids-file "$work/s5.ids" --settle-seconds 60

echo
echo "fault tests passed"
