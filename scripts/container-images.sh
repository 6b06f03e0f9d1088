#!/usr/bin/env bash
# Makes the local images that the container tests and docker-compose.yml run on machines where no
# image registry is reachable (Debian's packages and Maven Central are):
#
#   topiary/debian:bookworm   debootstrap --variant=minbase from this machine's own Debian mirror
#   topiary/jre:17            that + Debian's OpenJDK 17 JRE                       (docker/jre)
#   topiary/kafka:4.4.0       that + the Apache Kafka 4.4.0 jars from Maven Central (docker/kafka)
#
# The Kafka image is ours, not the Apache project's: it takes the same KAFKA_* environment and
# /etc/kafka/docker/run entry point as the official apache/kafka image, so Testcontainers'
# KafkaContainer and the compose file drive it the same way, but it is never tagged as that image.
#
# Idempotent: an image that exists and was made from the same recipe (label topiary.recipe) is
# kept; a changed recipe rebuilds that image and the ones built on it. Needs a Docker engine
# (DOCKER_HOST, or the default socket) and, for the base image only, root and debootstrap.
#
#   scripts/container-images.sh            # make what is missing
#   scripts/container-images.sh --list     # print the image names, one a line
set -euo pipefail
cd "$(dirname "$0")/.."

SUITE=bookworm
BASE_IMAGE=topiary/debian:$SUITE
JRE_IMAGE=topiary/jre:17
KAFKA_IMAGE=topiary/kafka:4.4.0

if [ "${1:-}" = "--list" ]; then
  printf '%s\n' "$BASE_IMAGE" "$JRE_IMAGE" "$KAFKA_IMAGE"
  exit 0
fi

log() { echo "container-images: $*" >&2; }

# Runs a command, showing its output only if it fails.
quietly() {
  local out
  if ! out=$("$@" 2>&1); then
    echo "$out" >&2
    log "failed: $*"
    return 1
  fi
}

# The recipe's fingerprint: the image it starts from plus the files it is made of.
recipe_of() {
  local parent_id="$1"; shift
  { echo "$parent_id"; cat "$@"; } | sha256sum | cut -c1-16
}

is_current() {
  [ "$(docker image inspect -f '{{index .Config.Labels "topiary.recipe"}}' "$1" 2>/dev/null)" = "$2" ]
}

image_id() {
  docker image inspect -f '{{.Id}}' "$1"
}

# Removed on exit, however the script ends.
scratch=()
trap 'for d in "${scratch[@]}"; do umount -R "$d/proc" "$d/sys" 2>/dev/null || true; rm -rf "$d"; done' EXIT

# The machine's own apt source for Debian, so this script names no mirror of its own.
debian_mirror() {
  local uri=""
  if compgen -G '/etc/apt/sources.list.d/*.sources' >/dev/null; then
    uri=$(awk 'BEGIN { RS = "" }
      /(^|\n)Types:[^\n]*deb([ \t]|\n|$)/ && /(^|\n)Suites:[^\n]*[ \t]'"$SUITE"'([ \t]|\n|$)/ {
        if (match($0, /(^|\n)URIs:[ \t]*[^ \t\n]+/)) {
          s = substr($0, RSTART, RLENGTH); sub(/^\n?URIs:[ \t]*/, "", s); print s; exit
        }
      }' /etc/apt/sources.list.d/*.sources)
  fi
  if [ -z "$uri" ]; then
    uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
          | awk '$1 == "deb" && $3 == "'"$SUITE"'" { print $2; exit }')
  fi
  [ -n "$uri" ] || { log "no Debian $SUITE source in /etc/apt/sources.list*"; return 1; }
  echo "$uri"
}

make_base() {
  local recipe
  recipe=$(echo "debootstrap --variant=minbase $SUITE" | sha256sum | cut -c1-16)
  if is_current "$BASE_IMAGE" "$recipe"; then
    log "$BASE_IMAGE exists"
    return
  fi
  command -v debootstrap >/dev/null || { log "debootstrap is missing (apt-get install debootstrap)"; return 1; }
  local mirror root
  mirror=$(debian_mirror)
  root=$(mktemp -d /var/tmp/topiary-rootfs.XXXXXX)
  scratch+=("$root")
  log "debootstrap $SUITE (minbase) from $mirror"
  if ! debootstrap --variant=minbase "$SUITE" "$root" "$mirror" >"$root.log" 2>&1; then
    tail -20 "$root.log" >&2
    rm -f "$root.log"
    return 1
  fi
  rm -f "$root.log"
  # what debootstrap downloaded is not part of the system
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" --numeric-owner --exclude='./proc/*' --exclude='./sys/*' -c . \
    | docker import -c "LABEL topiary.recipe=$recipe" -c 'CMD ["/bin/bash"]' - "$BASE_IMAGE" >/dev/null
  log "made $BASE_IMAGE"
}

# docker build of DIR as IMAGE from PARENT, labelled with RECIPE.
build_on() {
  local image="$1" parent="$2" dir="$3" recipe="$4"
  log "building $image"
  # host network: apt inside the build reaches the mirror the way this machine does
  quietly docker build -q --network host --build-arg "BASE_IMAGE=$parent" --label "topiary.recipe=$recipe" \
    -t "$image" "$dir"
  log "made $image"
}

make_jre() {
  local recipe
  recipe=$(recipe_of "$(image_id "$BASE_IMAGE")" docker/jre/Dockerfile)
  if is_current "$JRE_IMAGE" "$recipe"; then
    log "$JRE_IMAGE exists"
    return
  fi
  build_on "$JRE_IMAGE" "$BASE_IMAGE" docker/jre "$recipe"
}

make_kafka() {
  local recipe
  recipe=$(recipe_of "$(image_id "$JRE_IMAGE")" docker/kafka/Dockerfile docker/kafka/run docker/kafka/pom.xml)
  if is_current "$KAFKA_IMAGE" "$recipe"; then
    log "$KAFKA_IMAGE exists"
    return
  fi
  # the jars docker/kafka/pom.xml lists; Maven takes them from its local repository or from Central
  scratch+=("$PWD/docker/kafka/libs")
  rm -rf docker/kafka/libs
  quietly mvn -B -q -f docker/kafka/pom.xml dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=libs
  build_on "$KAFKA_IMAGE" "$JRE_IMAGE" docker/kafka "$recipe"
}

docker info >/dev/null 2>&1 || { log "no Docker engine answers${DOCKER_HOST:+ at $DOCKER_HOST}"; exit 1; }
make_base
make_jre
make_kafka
