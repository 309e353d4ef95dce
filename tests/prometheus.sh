#!/usr/bin/env bash
# Prometheus against a running gateway, as a user would point it at one: the example configuration
# and rules are valid and their unit tests pass, the gateway's /metrics passes promtool's lint, and a
# real Prometheus server (Debian's package) scrapes it, records the rules' series and finds every
# service's replicas. Usage: tests/prometheus.sh [GATEWAY_URL]   (default http://localhost:8080)
# Needs promtool and prometheus (Debian's prometheus package), curl and node. Bounded: about 2
# minutes; Prometheus listens on 127.0.0.1 only and is stopped however this ends.
set -euo pipefail
cd "$(dirname "$0")/.."
gateway=${1:-http://localhost:8080}
examples=examples/prometheus
for tool in promtool prometheus; do
  command -v $tool >/dev/null || { echo "$tool is missing: apt-get install -y --no-install-recommends prometheus" >&2; exit 1; }
done

promtool check config "$examples/prometheus.yml" >/dev/null
promtool check config "$examples/prometheus-compose.yml" >/dev/null
promtool test rules "$examples/rules_test.yml" >/dev/null
curl -sf "$gateway/metrics" | promtool check metrics
echo "prometheus: the example configuration, its rules' tests and the gateway's /metrics pass promtool"

work=$(mktemp -d)
trap 'kill $prometheus 2>/dev/null; wait $prometheus 2>/dev/null || true; rm -rf "$work"' EXIT
# The example as it is, aimed at this gateway and scraping every second so that this stays short.
sed -e "s#'localhost:8080'#'${gateway#http://}'#" -e 's/\(scrape_interval\|evaluation_interval\): 5s/\1: 1s/' \
  "$examples/prometheus.yml" > "$work/prometheus.yml"
cp "$examples/rules.yml" "$work/"
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$port" >"$work/prometheus.log" 2>&1 &
prometheus=$!

query() { curl -sf "http://127.0.0.1:$port/api/v1/query" --data-urlencode "query=$1" || true; }
# Each condition a query whose answer holds a sample; all within 30 s.
for check in 'up{job="shopmesh"} == 1' \
    'count by (service) (shopmesh_replicas > 0)' \
    'shopmesh_replica_grpc_server_calls_total{service="order-service",method="/shop.order.v1.OrderService/PlaceOrder"}' \
    'shopmesh:http_requests:rate1m'; do
  for _ in $(seq 1 30); do
    query "$check" | grep -q '"value"' && break
    kill -0 $prometheus 2>/dev/null || { cat "$work/prometheus.log"; echo "prometheus exited"; exit 1; }
    sleep 1
  done
  query "$check" | grep -q '"value"' || { cat "$work/prometheus.log"; echo "prometheus found nothing for: $check"; exit 1; }
done
services=$(query 'count by (service) (shopmesh_replicas > 0)' | grep -o '"service":"[^"]*"' | cut -d'"' -f4 | sort | paste -sd, -)
echo "prometheus: scraped the gateway, found replicas of $services, and recorded the rules' series"
