#!/usr/bin/env bash
# The benchmark: bench/run.sh [--quick] [--only h2load|orders] [--out FILE] [--rounds N] [--seconds S]
#                [--order-rate R] [--postgres URL] [--pin]   (see bench/README.md)
# Builds bench/target/bench.jar when it is missing or older than any source or pom of the project
# (it bundles the gateway and the services it measures), then runs it. Needs h2load and a JDK 17+.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
jar="$here/target/bench.jar"

if ! command -v h2load >/dev/null; then
  echo "h2load is missing: apt-get install -y nghttp2-client" >&2
  exit 2
fi

needs_build() {
  [[ ! -f "$jar" ]] && return 0
  [[ -n "$(find "$root"/*/src "$root"/pom.xml "$root"/*/pom.xml -type f -newer "$jar" -print -quit 2>/dev/null || true)" ]]
}

if needs_build; then
  echo "building the bench jar…" >&2
  # package, not install: shopmesh's own jars stay in this tree, none is installed into ~/.m2.
  (cd "$root" && ./mvnw -q -B -DskipTests package -pl bench -am)
fi

exec java -jar "$jar" "$@"
