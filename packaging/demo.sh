#!/usr/bin/env bash
# The main job: start a private containerd, import a local busybox image, and run a container through
# containerd inside a Goldilocks VM. Prints what only a guest can print (its own kernel and its virtual CPU).
# Leaves nothing running: containerd is stopped and its state removed on exit.
#
# Environment: RUNTIME (default io.containerd.goldilocks.v2; io.containerd.runc.v2 for a side-by-side look),
#              GOLDILOCKS_DEMO_DIR (default /tmp/goldilocks-demo), GOLDILOCKS_CACHE.
set -euo pipefail

RUNTIME=${RUNTIME:-io.containerd.goldilocks.v2}
DIR=${GOLDILOCKS_DEMO_DIR:-/tmp/goldilocks-demo}
CACHE=${GOLDILOCKS_CACHE:-$HOME/.cache/goldilocks}
NS=goldilocks-demo
HERE=$(cd "$(dirname "$0")" && pwd)

mkdir -p "$DIR"
"$HERE/busybox-image.sh" "$CACHE/images/busybox-oci.tar" >/dev/null

cat > "$DIR/config.toml" <<TOML
version = 2
root = "$DIR/root"
state = "$DIR/state"
plugin_dir = ""
[grpc]
  address = "$DIR/containerd.sock"
[debug]
  address = "$DIR/debug.sock"
  level = "info"
[plugins."io.containerd.internal.v1.opt"]
  path = "$DIR/opt"
[plugins."io.containerd.grpc.v1.cri"]
  restrict_oom_score_adj = true
TOML

setsid containerd --config "$DIR/config.toml" > "$DIR/containerd.log" 2>&1 < /dev/null &
CTRD_PID=$!
cleanup() {
  ctr -a "$DIR/containerd.sock" -n $NS task kill -s SIGKILL demo >/dev/null 2>&1 || true
  ctr -a "$DIR/containerd.sock" -n $NS task delete demo >/dev/null 2>&1 || true
  ctr -a "$DIR/containerd.sock" -n $NS container rm demo >/dev/null 2>&1 || true
  kill -TERM "$CTRD_PID" 2>/dev/null || true
  wait "$CTRD_PID" 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT

ctr() { command ctr -a "$DIR/containerd.sock" -n "$NS" "$@"; }
for _ in $(seq 100); do ctr version >/dev/null 2>&1 && break; sleep 0.1; done
ctr images import --base-name localhost/busybox "$CACHE/images/busybox-oci.tar" >/dev/null

echo "host:  kernel $(uname -r), cpu $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
ctr run --rm --runtime "$RUNTIME" localhost/busybox:latest demo \
  sh -c 'echo "guest: kernel $(uname -r), cpu $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | sed "s/^ //")"; echo "hello from inside a Goldilocks VM"'
