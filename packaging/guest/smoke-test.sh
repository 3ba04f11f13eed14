#!/bin/bash
# Boots a guest image whose "agent" is GuestProbe (packaging/guest/probe) and checks, from its console, what the
# real agent relies on: busybox init as PID 1 reaping orphans, cgroup2 controllers delegated, the boot modules
# loaded, modprobe working, the virtio-serial port goldilocks.agent.0 visible, loopback up, and runc running a
# container. Real QEMU (TCG), real kernel, real runc; about a minute on a loaded 2-core machine.
#
# Usage: smoke-test.sh [--layout erofs|initramfs]    (needs root, like build-guest-image.sh)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
JDK=${GOLDILOCKS_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
LAYOUT=erofs
[ "${1:-}" != --layout ] || LAYOUT=$2

TMP=$(mktemp -d /tmp/goldilocks-smoke.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

mkdir -p "$TMP/classes"
"$JDK/bin/javac" --release 17 -d "$TMP/classes" "$HERE/probe/io/goldilocks/image/probe/GuestProbe.java"
cp "$HERE/probe/io/goldilocks/image/probe/probe.sh" "$TMP/classes/io/goldilocks/image/probe/"
"$JDK/bin/jar" cf "$TMP/goldilocks-guest-probe.jar" -C "$TMP/classes" .
"$HERE/build-guest-image.sh" --out "$TMP/image" --layout "$LAYOUT" \
    --agent-jar "$TMP/goldilocks-guest-probe.jar" --agent-main io.goldilocks.image.probe.GuestProbe
"$HERE/boot-test.sh" --image "$TMP/image" --until 'goldilocks-init: agent exited' --timeout 180 | tee "$TMP/console"

failed=0
expect() {  # expect DESCRIPTION EXTENDED-REGEX
    if grep -Eq "$2" "$TMP/console"; then echo "[smoke-test] ok: $1"; else echo "[smoke-test] FAILED: $1" >&2; failed=1; fi
}
expect "init printed the agent marker" 'goldilocks-init: starting agent'
expect "the probe started (JVM runs in the guest)" 'probe: ready'
expect "busybox init is PID 1" 'probe: pid1=(busybox|init)'
expect "cpu, memory, pids, io controllers delegated" 'probe: subtree_control=.*cpu .*io .*memory .*pids'
expect "boot modules loaded" 'probe: modules=.*overlay .*virtio_console .*virtio_mmio .*virtiofs'
expect "modprobe loads a shipped module" 'probe: modprobe veth ok'
expect "the agent's virtio-serial port is visible" 'probe: port goldilocks.agent.0'
expect "loopback is up" 'probe: lo up'
expect "PID 1 reaped the orphan" 'probe: zombies=0'
expect "runc ran a container" 'probe: runc run ok'
expect "the VM powered off after the agent exited" 'goldilocks-init: agent exited with status 0; powering off'
[ "$LAYOUT" != erofs ] || expect "the root is the erofs image" 'probe: root=erofs'
if [ $failed != 0 ]; then echo "[smoke-test] the guest image fails its smoke test" >&2; exit 1; fi
echo "[smoke-test] the guest image ($LAYOUT) passes its smoke test"
