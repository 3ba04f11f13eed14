#!/bin/bash
# Boots the guest image once under QEMU (TCG, microvm) for debugging: prints the console with each line's
# time since QEMU started, and stops the VM when a line matches --until (default: the agent-start marker,
# then --linger seconds more), when the guest powers off, or after --timeout seconds.
# The real launcher is the hypervisor module; this only mirrors the recipe in host-facts.md.
#
# Usage: boot-test.sh [--image DIR] [--until REGEX] [--linger S] [--timeout S] [--mem MB] [--append ARGS]
#   --image   directory with vmlinuz, initrd.img, guest.properties (default: packaging/target/guest)
#   --agent-socket PATH  host end of the agent's virtio-serial port (default: a temp socket)
# Exit status: 0 when --until matched, 1 on timeout or when the guest stopped first.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
IMAGE="$HERE/../target/guest"
UNTIL=""
LINGER=0
TIMEOUT=120
MEM=512
EXTRA_APPEND=""
AGENT_SOCKET=""

while [ $# -gt 0 ]; do
    case "$1" in
        --image) IMAGE=$2; shift 2 ;;
        --until) UNTIL=$2; shift 2 ;;
        --linger) LINGER=$2; shift 2 ;;
        --timeout) TIMEOUT=$2; shift 2 ;;
        --mem) MEM=$2; shift 2 ;;
        --append) EXTRA_APPEND=$2; shift 2 ;;
        --agent-socket) AGENT_SOCKET=$2; shift 2 ;;
        *) echo "boot-test: unknown argument $1" >&2; exit 2 ;;
    esac
done

prop() { sed -n "s/^$1=//p" "$IMAGE/guest.properties"; }
[ -f "$IMAGE/guest.properties" ] || { echo "boot-test: no guest.properties in $IMAGE (build packaging first)" >&2; exit 2; }
[ -n "$UNTIL" ] || UNTIL=$(prop agent.marker)

# The guest's TSC must run at the host's rate, or the clock drifts and calibration can hang (host-facts.md).
TSC_KHZ=$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)
APPEND="$(prop kernel.cmdline) tsc_early_khz=$TSC_KHZ $EXTRA_APPEND"

TMP=$(mktemp -d /tmp/goldilocks-boot-test.XXXXXX)
QEMU_PID=""
cleanup() {
    if [ -n "$QEMU_PID" ] && kill -0 "$QEMU_PID" 2>/dev/null; then kill "$QEMU_PID"; wait "$QEMU_PID" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT
[ -n "$AGENT_SOCKET" ] || AGENT_SOCKET="$TMP/agent.sock"

args=(-M microvm,accel=tcg -cpu qemu64 -m "$MEM" -smp 1 -nodefaults -no-user-config -nographic
      -serial stdio -no-reboot -kernel "$IMAGE/$(prop kernel.file)" -initrd "$IMAGE/$(prop initrd.file)"
      -append "$APPEND"
      -device virtio-serial-device
      -chardev "socket,id=agent,path=$AGENT_SOCKET,server=on,wait=off"
      -device virtserialport,chardev=agent,name=goldilocks.agent.0)
if [ -n "$(prop rootfs.file)" ]; then
    args+=(-drive "file=$IMAGE/$(prop rootfs.file),if=none,id=root,format=raw,readonly=on"
           -device virtio-blk-device,drive=root)
fi

mkfifo "$TMP/console"
start=$EPOCHREALTIME
qemu-system-x86_64 "${args[@]}" < /dev/null > "$TMP/console" 2>&1 &
QEMU_PID=$!
deadline=$(( ${start%.*} + TIMEOUT ))
matched=""
stop_at=""
exec 3< "$TMP/console"
while :; do
    now=$EPOCHREALTIME
    if [ -n "$stop_at" ] && [ "${now%.*}" -ge "$stop_at" ]; then break; fi
    if [ "${now%.*}" -ge "$deadline" ]; then echo "boot-test: timeout after ${TIMEOUT}s" >&2; break; fi
    if ! IFS= read -r -t 1 line <&3; then
        kill -0 "$QEMU_PID" 2>/dev/null || break
        continue
    fi
    line=${line%$'\r'}
    elapsed=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%7.3f", b - a }')
    printf '[%s] %s\n' "$elapsed" "$line"
    if [ -z "$matched" ] && [[ "$line" =~ $UNTIL ]]; then
        matched=$elapsed
        stop_at=$(( ${EPOCHREALTIME%.*} + LINGER ))
        [ "$LINGER" != 0 ] || break
    fi
done
exec 3<&-
if [ -n "$matched" ]; then
    echo "boot-test: '$UNTIL' seen at ${matched}s after QEMU start" >&2
    exit 0
fi
echo "boot-test: '$UNTIL' not seen" >&2
exit 1
