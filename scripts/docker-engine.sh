#!/usr/bin/env bash
# A Docker engine for the container tests: uses one that already answers, or starts Debian's
# dockerd (package docker.io) on a socket of its own, and stops only the engine it started.
#
#   eval "$(scripts/docker-engine.sh start)"   # prints `export DOCKER_HOST=...` once an engine answers
#   scripts/docker-engine.sh stop              # removes the test containers, stops the engine started here
#
# `start` never fails: where no engine can be had it says why on stderr and prints nothing, and the
# container tests skip with their own reason. The engine started here listens on its own socket,
# not /var/run/docker.sock, so other programs on the machine do not find it by accident.
set -uo pipefail

STATE=${TOPIARY_DOCKER_STATE:-/run/topiary-docker}
SOCKET="unix://$STATE/docker.sock"

log() { echo "docker-engine: $*" >&2; }

answers() {
  timeout 10 docker ${1:+-H "$1"} info >/dev/null 2>&1
}

start() {
  if ! command -v docker >/dev/null; then
    log "no docker client (apt-get install docker.io)"
    return 0
  fi
  if answers "${DOCKER_HOST:-}"; then
    log "using the engine that answers at ${DOCKER_HOST:-the default socket}"
    echo "export DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}"
    return 0
  fi
  if answers "$SOCKET"; then
    log "using the engine started earlier at $SOCKET"
    echo "export DOCKER_HOST=$SOCKET"
    return 0
  fi
  command -v dockerd >/dev/null || { log "no Docker engine and no dockerd to start (apt-get install docker.io)"; return 0; }
  [ "$(id -u)" = 0 ] || { log "no Docker engine, and dockerd needs root"; return 0; }

  mkdir -p "$STATE"
  dockerd --host "$SOCKET" --pidfile "$STATE/dockerd.pid" --exec-root "$STATE/exec" \
    >"$STATE/dockerd.log" 2>&1 </dev/null &
  local pid=$!
  for _ in $(seq 1 60); do
    if answers "$SOCKET"; then
      echo "$pid" >"$STATE/started-here"
      log "started dockerd (pid $pid) at $SOCKET; log in $STATE/dockerd.log"
      echo "export DOCKER_HOST=$SOCKET"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  log "dockerd did not come up; the last lines of its log:"
  tail -5 "$STATE/dockerd.log" >&2
  kill "$pid" 2>/dev/null
  return 0
}

# Containers the tests make: Testcontainers labels its own; the compose test's projects are topiary-it-*.
remove_test_containers() {
  local host="$1" ids
  ids=$( { docker -H "$host" ps -aq --filter label=org.testcontainers=true
           docker -H "$host" ps -a --filter label=com.docker.compose.project --format '{{.ID}} {{.Label "com.docker.compose.project"}}' \
             | awk '$2 ~ /^topiary-it-/ { print $1 }'; } 2>/dev/null | sort -u)
  if [ -n "$ids" ]; then
    log "removing $(echo "$ids" | wc -l) test container(s)"
    # shellcheck disable=SC2086
    docker -H "$host" rm -f -v $ids >/dev/null 2>&1
  fi
  docker -H "$host" network prune -f --filter label=com.docker.compose.project >/dev/null 2>&1
}

stop() {
  local host=${DOCKER_HOST:-$SOCKET}
  [ -f "$STATE/started-here" ] && host=$SOCKET
  answers "$host" && remove_test_containers "$host"
  [ -f "$STATE/started-here" ] || return 0
  # each compose test rebuilds topiary:local; on an engine of our own, drop the images it replaced
  docker -H "$host" image prune -f >/dev/null 2>&1
  local pid
  pid=$(cat "$STATE/started-here")
  rm -f "$STATE/started-here"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 40); do
    if ! kill -0 "$pid" 2>/dev/null; then
      # the network namespace dockerd mounted for itself outlives it
      umount "$STATE/exec/netns/default" 2>/dev/null
      log "stopped dockerd (pid $pid)"
      return 0
    fi
    sleep 0.5
  done
  log "dockerd (pid $pid) still running after 20 s; killing it"
  kill -9 "$pid" 2>/dev/null
  return 0
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
