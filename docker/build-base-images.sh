#!/usr/bin/env bash
# Builds, from Debian packages only, local base images equivalent to the public ones that
# docker-compose.yml uses by default, for hosts that reach no container registry:
#   shopmesh-base/jre17     ~ eclipse-temurin:17-jre
#   shopmesh-base/postgres  ~ postgres:15 (same POSTGRES_* variables, /docker-entrypoint-initdb.d)
#   shopmesh-base/redis     ~ redis:7
#   shopmesh-base/prometheus ~ prom/prometheus (Debian's 2.42: only the classic pages, /classic/alerts)
# Then: docker-compose --env-file docker/offline.env up -d --build
# Needs root, debootstrap and a running Docker engine. About a minute per image.
set -euo pipefail
cd "$(dirname "$0")"

# The Debian mirror the host's own apt sources use (deb822 or one-line format).
mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -1 || true)
[ -n "$mirror" ] || mirror=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
  | awk '{print $2}' | grep -i debian | grep -v security | head -1 || true)
mirror=${mirror:-http://deb.debian.org/debian}
suite=${SUITE:-bookworm}
# An image built by an older version of this script, or of the entrypoint it installs, is rebuilt:
# one that merely existed was kept, changes and all.
recipe=$(cat build-base-images.sh postgres/docker-entrypoint.sh | sha256sum | cut -c1-12)

image() {
  local name=$1 packages=$2
  shift 2
  if [ "${FORCE:-}" != 1 ] && [ "$(docker image inspect -f '{{index .Config.Labels "shopmesh.recipe"}}' "$name" 2>/dev/null)" = "$recipe" ]; then
    echo "$name exists, from this recipe (FORCE=1 rebuilds it)"
    return
  fi
  local root
  root=$(mktemp -d)
  echo "building $name from $mirror ($packages)"
  debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$mirror" >"$root.log" 2>&1 \
    || { tail -20 "$root.log"; exit 1; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  customize_"${name##*/}" "$root"
  tar -C "$root" -c . | docker import "$@" --change "LABEL shopmesh.recipe=$recipe" - "$name" >/dev/null
  rm -rf "$root" "$root.log"
  echo "$name: $(docker image inspect -f '{{.Size}}' "$name" | awk '{printf "%.0f MB", $1/1e6}')"
}

customize_jre17() { :; }

customize_postgres() {
  install -m 0755 postgres/docker-entrypoint.sh "$1/usr/local/bin/docker-entrypoint.sh"
  mkdir -p "$1/docker-entrypoint-initdb.d" "$1/var/run/postgresql"
  chroot "$1" chown postgres:postgres /var/run/postgresql
}

customize_redis() { :; }

customize_prometheus() { :; }

image shopmesh-base/jre17 openjdk-17-jre-headless,ca-certificates \
  --change 'ENV LANG=C.UTF-8'
image shopmesh-base/postgres postgresql \
  --change 'ENV PGDATA=/var/lib/postgresql/data' --change 'ENV LANG=C.UTF-8' \
  --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' --change 'CMD ["postgres"]'
image shopmesh-base/redis redis-server \
  --change 'CMD ["redis-server", "--protected-mode", "no"]'
image shopmesh-base/prometheus prometheus
