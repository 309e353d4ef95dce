#!/usr/bin/env bash
# docs/production.md's "TLS at the gateway", run as written: a self-signed certificate from openssl,
# ./shopmesh up given it, then curl and buf curl over TLS, ./shopmesh order trusting it by the same
# variable, and what a plaintext request and a command without the certificate get. On ports and a
# data directory of its own, beside any other mesh.
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/lib.sh
dir=$(mktemp -d)
log="$dir/up.log"
http=18443
grpc=15443
openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
export SHOPMESH_TLS_CERT_FILE="$dir/cert.pem" SHOPMESH_TLS_KEY_FILE="$dir/key.pem"
./shopmesh up --data-dir "$dir/data" --http-port $http --grpc-port $grpc >"$log" 2>&1 &
up=$!
trap 'kill $up 2>/dev/null; wait $up 2>/dev/null || true; rm -rf "$dir"' EXIT
wait_up "$log" $up
grep -q "shopmesh is up: https://localhost:$http/ .*grpcs://localhost:$grpc" "$log" \
  || { cat "$log"; echo "up did not come up saying https:// and grpcs://"; exit 1; }

curl -sf --max-time 10 --cacert "$dir/cert.pem" https://localhost:$http/api/products | grep -q '"priceCents"' \
  || { echo "curl over TLS did not get the catalog"; exit 1; }
hello=$(timeout 60 npx -y @bufbuild/buf curl --protocol grpc --cacert "$dir/cert.pem" \
  https://localhost:$grpc/greeting.GreetingService/SayHello -d '{"name":"Ada"}')
grep -q '"message": "Hello Ada!"' <<<"$hello" || { echo "buf curl over TLS said: $hello"; exit 1; }
# Plaintext gets nothing on either port: curl exits 52, "Empty reply from server".
for port in $http $grpc; do
  rc=0; curl -s --max-time 10 -o /dev/null http://localhost:$port/api/products || rc=$?
  [ "$rc" = 52 ] || { echo "plaintext to port $port: curl exited $rc, not 52 (empty reply)"; exit 1; }
done
echo "tls: curl and buf curl answered over TLS; plaintext got no answer"

# The commands look on https:// and trust the certificate, by the variable up was given.
timeout 120 ./shopmesh order --count 20 --gateway http://localhost:$http >"$dir/order.out" 2>&1 && { cat "$dir/order.out"; echo "order reached a TLS gateway over http://"; exit 1; }
grep -q "a gateway serving TLS is reached with https://" "$dir/order.out" || { cat "$dir/order.out"; echo "order did not say to use https://"; exit 1; }
SHOPMESH_HTTP_PORT=$http timeout 120 ./shopmesh order --count 20 >"$dir/order.out" 2>&1 || { cat "$dir/order.out"; echo "order over TLS failed"; exit 1; }
grep -q "acknowledged 20: confirmed 20" "$dir/order.out" || { cat "$dir/order.out"; echo "order over TLS did not confirm 20"; exit 1; }
# An address without a scheme is https:// too; every replica healthy, the gateway included (its
# health check spoke plaintext to its TLS port, and status exited 1).
timeout 60 ./shopmesh status --gateway localhost:$http >"$dir/status.out" 2>&1 || { cat "$dir/status.out"; echo "status over TLS did not exit 0"; exit 1; }
! grep -q " NO " "$dir/status.out" || { cat "$dir/status.out"; echo "status over TLS shows a replica NO"; exit 1; }
# A second gateway serving TLS is healthy in status too: the first's checks spoke plaintext to it.
./shopmesh run gateway --data-dir="$dir/data" --grpc-port=0 --http-port=0 >"$dir/gateway2.log" 2>&1 &
second=$!
trap 'kill $up $second 2>/dev/null; wait $up $second 2>/dev/null || true; rm -rf "$dir"' EXIT
for try in $(seq 30); do
  timeout 60 ./shopmesh status --gateway localhost:$http >"$dir/status.out" 2>&1 \
    && grep -q "^gateway: 2 replicas" "$dir/status.out" && ! grep -q " NO " "$dir/status.out" && break
  [ "$try" != 30 ] || { cat "$dir/status.out" "$dir/gateway2.log"; echo "a second gateway serving TLS is not healthy in status"; exit 1; }
  sleep 1
done
kill $second; wait $second 2>/dev/null || true
echo "tls: a second gateway serving TLS is healthy in status"
unset SHOPMESH_TLS_CERT_FILE
rc=0; SHOPMESH_HTTP_PORT=$http timeout 60 ./shopmesh status --gateway https://localhost:$http >"$dir/status.out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "the gateway's certificate is not trusted" "$dir/status.out" \
  || { cat "$dir/status.out"; echo "status without the certificate: exit $rc, not 1 saying it is not trusted"; exit 1; }
echo "tls: order confirmed 20 over https://, trusting SHOPMESH_TLS_CERT_FILE; without it, the certificate is said untrusted"
