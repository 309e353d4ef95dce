#!/usr/bin/env bash
# End to end in containers, as root on a machine with nothing but Debian packages: installs Docker
# if missing, starts dockerd if it is not running, builds the base images from Debian packages if
# no registry is reachable, builds the service images, runs one of them alone (docker run), brings
# the stack up, places orders over HTTP, says hello over gRPC, follows one request's trace through two containers' logs, scales catalog-service
# to 3 and checks every replica serves calls (in /api/mesh and /metrics, as its callers and it count them, and in the
# stack's Prometheus), restarts the stack and
# checks the orders are still there. Tears everything down (volumes too) however it ends. Bounded:
# 15 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { echo; echo "=== $* ($(( $(date +%s) - start )) s)"; }
project=shopmesh-e2e
compose() { docker-compose -p "$project" "${env_file[@]}" "$@"; }
gateway=http://localhost:${SHOPMESH_HTTP_PUBLISH:-8080}
prometheus=http://localhost:${SHOPMESH_PROMETHEUS_PUBLISH:-9090}

if [ "${E2E_INNER:-}" != 1 ]; then
  E2E_INNER=1 exec timeout --kill-after=30 900 "$0" "$@"
fi

step "docker"
if ! command -v docker >/dev/null || ! command -v docker-compose >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io docker-compose >/dev/null
fi
if ! docker info >/dev/null 2>&1; then
  (dockerd >/var/log/shopmesh-dockerd.log 2>&1 &)
  for _ in $(seq 1 30); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null
fi

env_file=()
if ! timeout 30 docker pull -q redis:7 >/dev/null 2>&1; then
  step "no registry reachable: base images from Debian packages"
  command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  docker/build-base-images.sh
  env_file=(--env-file docker/offline.env)
fi

step "jars and images"
[ -f gateway/target/gateway.jar ] || ./mvnw -q -B -DskipTests package
compose build -q
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E '^shopmesh' | sort

cleanup() {
  status=$?
  if [ $status -ne 0 ]; then
    compose ps || true
    compose logs --tail=40 || true
  fi
  compose down -v --remove-orphans >/dev/null 2>&1 || true
  docker rm -f shopmesh-e2e-alone >/dev/null 2>&1 || true
  exit $status
}
trap cleanup EXIT

wait_for() { # what, seconds, command...
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 "$seconds"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "timed out after ${seconds}s: $what"
  return 1
}
order() {
  curl -sf -X POST "$gateway/api/orders" -H 'content-type: application/json' \
    -d '{"customerId":"e2e","items":[{"productId":"mug","quantity":1}],"payment":{"cardNumber":"4242424242424242","expiry":"'"$(date -d '+5 years' +12/%y)"'","cvv":"123"}}'
}
confirmed() { order | grep -q '"status":"CONFIRMED"'; }
mesh_json() { curl -sf "$gateway/api/mesh"; }
# How many catalog replicas are registered, and how many of them served calls.
catalog_replicas() { mesh_json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const c=JSON.parse(s).services.find(x=>x.name==="catalog-service");const r=c?c.replicas:[];console.log(r.length+" "+r.filter(x=>x.calls>0).length)})'; }

gateway_up() { curl -sf "$gateway/health" | grep -q UP; }
# Each container's memory as its cgroup counts it (the JVM's resident memory and the page cache it
# touched): printed for bench/README.md's footprint figures, never judged.
memory() { echo "memory, $1:"; docker stats --no-stream --format '  {{.Name}} {{.MemUsage}}' $(compose ps -q) | sort; }
catalogs_registered() { [ "$(catalog_replicas | cut -d' ' -f1)" = "$1" ]; }
catalogs_serving() { [ "$(catalog_replicas)" = "$1 $1" ]; }

step "one image on its own (docker run, no registry or database given)"
# Published on a free port of the host's loopback, as a user's docker run -p publishes it.
docker run -d --name shopmesh-e2e-alone -p 127.0.0.1::50051 shopmesh/catalog-service >/dev/null
alone_ready() { curl -sf "http://$(docker port shopmesh-e2e-alone 50051 | head -1)/ready" | grep -q SERVING; }
wait_for "a catalog-service container on its own is ready" 60 alone_ready || { docker logs --tail=20 shopmesh-e2e-alone; exit 1; }
docker rm -f shopmesh-e2e-alone >/dev/null

step "up"
up_at=$(date +%s)
compose up -d
wait_for "the gateway is healthy" 240 gateway_up
wait_for "a first confirmed order" 60 confirmed
echo "cold start (compose up -> first order confirmed): $(( $(date +%s) - up_at )) s"
memory "right after the first order"

step "orders over HTTP"
load_out=$(mktemp)
java -jar cli/target/cli.jar order --count 300 --rate 30 --gateway "$gateway" >"$load_out" 2>&1 &
load=$!
wait_for "orders flowing" 10 grep -q "orders" "$load_out"
sleep 3
memory "under load (30 orders/s)"
wait $load || { cat "$load_out"; exit 1; }
tr '\r' '\n' <"$load_out" | grep -v '^orders '
rm -f "$load_out"
first_order=$(order | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).orderId))')

step "one request's trace in the logs of the containers it went through"
trace=$(curl -s -o /dev/null -D - "$gateway/api/orders/no-such-order" | tr -d '\r' \
  | sed -n 's/^traceresponse: 00-\([0-9a-f]\{32\}\)-.*/\1/p')
[ -n "$trace" ] || { echo "the gateway's answer named no trace (traceresponse)"; exit 1; }
# grep reads it all: with -q, an early exit would fail compose logs (pipefail).
traced_in() { for service in "${@:2}"; do compose logs --no-color "$service" | grep "\"trace_id\":\"$1\"" >/dev/null || return 1; done; }
wait_for "trace $trace in the gateway's and order-service's logs" 10 traced_in "$trace" gateway order-service

step "gRPC: the classic Node.js greeting client"
(cd examples/node-greeting && npm install --silent --no-audit --no-fund >/dev/null)
hello=$(cd examples/node-greeting && timeout 20 node client.js)
[ "$hello" = "Hello World!" ] || { echo "node client said: $hello"; exit 1; }
echo "node client: $hello"

step "scale catalog-service to 3"
compose up -d --no-recreate --scale catalog-service=3
wait_for "3 catalog replicas registered" 180 catalogs_registered 3
java -jar cli/target/cli.jar order --count 150 --gateway "$gateway"
# The counters travel with the replicas' heartbeats (1 s).
wait_for "every catalog replica served calls" 10 catalogs_serving 3
# What a Prometheus server scraping the gateway sees: the same three replicas, each with calls.
metrics_serving() { [ "$(curl -sf "$gateway/metrics" | grep -c '^shopmesh_replica_calls_total{service="catalog-service",replica="[^"]*"} [1-9]')" = "$1" ]; }
wait_for "/metrics counts calls for every catalog replica" 10 metrics_serving 3
# And each catalog replica's own count of what it answered, published through Redis with its heartbeat.
metrics_answered() { [ "$(curl -sf "$gateway/metrics" | grep '^shopmesh_replica_grpc_server_calls_total{service="catalog-service",replica="[^"]*",method="/shop.catalog.v1.CatalogService/[A-Za-z]*",code="OK"} [1-9]' \
  | grep -o 'replica="[^"]*"' | sort -u | wc -l)" = "$1" ]; }
wait_for "/metrics counts what every catalog replica answered" 10 metrics_answered 3
# The compose stack's own Prometheus, scraping the gateway every 5 s, sees them too.
prometheus_sees() { curl -sf "$prometheus/api/v1/query" --data-urlencode \
  'query=count(count by (replica) (shopmesh_replica_grpc_server_calls_total{service="catalog-service",code="OK",method!~"/grpc[.].*"} > 0))' | grep -q "\"$1\"\]"; }
wait_for "the stack's Prometheus finds the 3 catalog replicas serving" 30 prometheus_sees 3
echo "the stack's Prometheus ($prometheus) sees the 3 catalog replicas serving"
# For the log: its exit status says a moment's health, which the checks above have judged.
java -jar cli/target/cli.jar status --gateway "$gateway" || true

step "restart the stack: orders survive"
compose down
compose up -d --scale catalog-service=1
wait_for "the gateway is healthy again" 240 gateway_up
curl -sf "$gateway/api/orders/$first_order" | grep -q '"status":"CONFIRMED"'
echo "order $first_order is still CONFIRMED after down/up"

echo
echo "compose e2e passed in $(( $(date +%s) - start )) s"
