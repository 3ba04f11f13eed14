#!/bin/bash
# Checks that a built guest image holds what the guest needs, by unpacking it and running its programs in a
# chroot: the kernel, /init and its helpers, busybox applets, runc, the JRE (java -version, with the agent's
# CDS archive when there is one), the kernel modules and their modules.dep, the agent's class path.
# Run by the Maven build (packaging, verify phase). Exit status 1 with every failed check listed.
#
# Usage: [VERBOSE=1] check-guest-image.sh IMAGE_DIR
# The agent's main class missing is a warning on a dev machine (the agent is built in parallel) and a failure
# under CI=true or GOLDILOCKS_REQUIRE_AGENT=1.
set -euo pipefail

IMAGE=$(cd "${1:?usage: check-guest-image.sh IMAGE_DIR}" && pwd)
FAILED=0
TMP=$(mktemp -d /tmp/goldilocks-check-image.XXXXXX)
R="$TMP/root"

cleanup() {
    if mountpoint -q "$R/proc" 2>/dev/null; then umount "$R/proc" || umount -l "$R/proc"; fi
    rm -rf --one-file-system "$TMP"
}
trap cleanup EXIT

PASSED=0
ok() {
    PASSED=$((PASSED + 1))
    if [ -n "${VERBOSE:-}" ]; then echo "[check-guest-image] ok: $*"; fi
}
fail() { echo "[check-guest-image] FAILED: $*" >&2; FAILED=1; }
check() {  # check DESCRIPTION COMMAND...
    local what=$1; shift
    if "$@" > "$TMP/out" 2>&1; then ok "$what"; else fail "$what: $(head -c 2000 "$TMP/out")"; fi
}
decompress() {
    case "$(file -b "$1")" in
        gzip*) gzip -dc "$1" ;;
        Zstandard*) zstd -dc "$1" ;;
        *cpio*) cat "$1" ;;
        *) echo "unknown initrd format: $(file -b "$1")" >&2; return 1 ;;
    esac
}
prop() { sed -n "s/^$1=//p" "$IMAGE/guest.properties"; }

[ -f "$IMAGE/guest.properties" ] || { fail "no guest.properties in $IMAGE"; exit 1; }
for key in kernel.abi kernel.file initrd.file layout kernel.cmdline agent.main agent.marker; do
    [ -n "$(prop "$key")" ] || fail "guest.properties lacks $key"
done
check "kernel is an x86 bzImage" grep -q 'Linux kernel x86 boot executable bzImage' <(file -L "$IMAGE/$(prop kernel.file)")
[[ "$(prop kernel.cmdline)" == *rdinit=/init* ]] || fail "kernel.cmdline lacks rdinit=/init"

mkdir -p "$R"
if [ "$(prop layout)" = erofs ]; then
    mkdir -p "$TMP/stage1"
    (cd "$TMP/stage1" && decompress "$IMAGE/$(prop initrd.file)" | cpio -idm --quiet)
    check "stage-1 /init is executable" test -x "$TMP/stage1/init"
    while read -r ko; do
        check "stage-1 module $ko" test -f "$TMP/stage1/lib/modules/$ko"
    done < "$TMP/stage1/stage1-modules"
    check "root image is a valid erofs" fsck.erofs --extract="$R" "$IMAGE/$(prop rootfs.file)"
else
    (cd "$R" && decompress "$IMAGE/$(prop initrd.file)" | cpio -idm --quiet)
fi

check "/init is executable" test -x "$R/init"
check "/sbin/goldilocks-agent is executable" test -x "$R/sbin/goldilocks-agent"
check "the agent main class is recorded" test -s "$R/etc/goldilocks/agent.main"
check "/etc/inittab runs the agent" grep -q '^::once:/sbin/goldilocks-agent' "$R/etc/inittab"
for app in sh init mount insmod modprobe poweroff ip switch_root; do
    check "busybox applet $app" test -x "$R/bin/$app" -o -x "$R/sbin/$app"
done

abi=$(prop kernel.abi)
check "modules.dep exists" test -s "$R/lib/modules/$abi/modules.dep"
while read -r kind name; do
    case "$kind" in ''|'#'*) continue ;; esac
    line=$(grep -E "/(${name}|${name//_/-})\.ko:" "$R/lib/modules/$abi/modules.dep" || true)
    if [ -z "$line" ]; then fail "module $name not in modules.dep"; continue; fi
    missing=""
    for f in $(echo "$line" | tr -d ':'); do
        [ -f "$R/lib/modules/$abi/$f" ] || [ -f "$R/$f" ] || missing="$missing $f"
    done
    [ -z "$missing" ] && ok "module $name and its dependencies" || fail "module $name lacks files:$missing"
done < "$(dirname "$0")/modules.conf"
while read -r ko; do
    check "boot module $ko" test -f "$R/lib/modules/$abi/$ko"
done < "$R/etc/goldilocks/boot-modules"

mount -t proc proc "$R/proc"
check "busybox runs" chroot "$R" /bin/busybox true
check "runc runs (its libraries are present)" chroot "$R" /usr/sbin/runc --version
check "java -version runs" chroot "$R" /jre/bin/java -version
opts=$(cat "$R/etc/goldilocks/agent.jvm-options")
# shellcheck disable=SC2086
check "java starts with the agent's JVM options" chroot "$R" /jre/bin/java $opts -version
if [ "$(prop agent.cds)" = true ]; then
    # shellcheck disable=SC2086
    check "the agent's CDS archive maps (-Xshare:on)" chroot "$R" /jre/bin/java $opts -Xshare:on \
        -XX:SharedArchiveFile=/agent/agent.jsa -cp "$(cat "$R/agent/classpath")" -version
fi

for j in $(tr ':' ' ' < "$R/agent/classpath"); do
    check "class path entry $j" test -f "$R$j"
done
main=$(prop agent.main)
first=$(cut -d: -f1 < "$R/agent/classpath")
if unzip -l "$R$first" "${main//.//}.class" > /dev/null 2>&1; then
    ok "agent main class $main"
elif [ "${CI:-}" = true ] || [ "${GOLDILOCKS_REQUIRE_AGENT:-}" = 1 ]; then
    fail "agent main class $main is not in $first"
else
    echo "[check-guest-image] !!!!!!!! WARNING: $main is not in $first: this image boots but runs no agent !!!!!!!!" >&2
fi

if [ $FAILED != 0 ]; then
    echo "[check-guest-image] the guest image in $IMAGE is incomplete" >&2
    exit 1
fi
echo "[check-guest-image] $PASSED checks passed: the guest image in $IMAGE has everything it needs"
