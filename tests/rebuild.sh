#!/usr/bin/env bash
# A build while ./shopmesh up runs (any ./shopmesh command after a source changed, or ./mvnw package)
# rewrites cli/target/cli.jar in place. The running up must not notice: it serves, and SIGTERM still
# stops it cleanly, each service logging that it stopped; the next command runs the new jar. Runs a copy of ./shopmesh and its jar in a scratch
# tree, on ports of its own, so neither the real jar nor another test's mesh is touched.
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/lib.sh
tree=$(mktemp -d)
mkdir -p "$tree/cli/target"
cp shopmesh "$tree/"
cp cli/target/cli.jar "$tree/cli/target/cli.jar"
log="$tree/up.log"
"$tree/shopmesh" up --data-dir "$tree/data" --http-port 18471 --grpc-port 15471 >"$log" 2>&1 &
up=$!
trap 'kill -9 $up 2>/dev/null || true; rm -rf "$tree"' EXIT
wait_up "$log" $up

# Another jar written over cli.jar's bytes, as the build's shade step writes its output.
cat gateway/target/gateway.jar > "$tree/cli/target/cli.jar"
curl -sf --max-time 10 localhost:18471/api/products | grep -q '"priceCents"' || { cat "$log"; echo "the catalog was not served after the rebuild"; exit 1; }

# A valid new jar, written in place too: the next command runs it, the running up goes on as before.
cp cli/target/cli.jar "$tree/new.jar"
echo "a rebuild" > "$tree/REBUILT"
(cd "$tree" && jar uf new.jar REBUILT)
cat "$tree/new.jar" > "$tree/cli/target/cli.jar"
"$tree/shopmesh" -V | grep -q '^shopmesh ' || { echo "the command after the rebuild did not run"; exit 1; }
cmp -s "$tree/cli/target/cli.jar" "$tree/cli/target/run/cli.jar" || { echo "the command after the rebuild ran the old jar"; exit 1; }
curl -sf --max-time 10 localhost:18471/api/products | grep -q '"priceCents"' || { cat "$log"; echo "the catalog was not served after the second rebuild"; exit 1; }

kill -TERM $up
for _ in $(seq 1 20); do kill -0 $up 2>/dev/null || break; sleep 1; done
if kill -0 $up 2>/dev/null; then cat "$log"; echo "up did not stop within 20 s of SIGTERM"; exit 1; fi
# Every service that said it served, whatever services up runs.
served=$({ grep -o '"message":"[a-z-]* serving gRPC' "$log" || true; } | sed 's/.*"message":"//; s/ serving gRPC//' | sort -u)
case " $(echo $served) " in *" gateway "*) ;; *) cat "$log"; echo "the gateway never said it served"; exit 1 ;; esac
for service in $served; do
  grep -q "\"$service stopped\"" "$log" || { cat "$log"; echo "$service did not log that it stopped"; exit 1; }
done
if grep -E '"(WARNING|ERROR)"|Exception|Error:' "$log"; then echo "up's log has the above after a rebuild"; exit 1; fi
echo "rebuild under a running up: it served and stopped cleanly"
