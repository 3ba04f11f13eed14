#!/bin/bash
# Builds the Goldilocks guest image (kernel + root with busybox, runc, a jlink JRE, the agent, /init) from
# Debian packages and the given agent jars. The result is cached under
# ${GOLDILOCKS_CACHE:-$HOME/.cache/goldilocks}/guest/<hash of every input> and copied to --out; when no input
# changed, the build only copies. Run by the Maven build (packaging module, package phase); see
# docs/guest-image.md.
#
# Usage: build-guest-image.sh --out DIR --agent-dir DIR [--layout erofs|initramfs] [--force]
#   --agent-dir: a directory with goldilocks-guest-agent-*.jar plus lib/*.jar
#   --agent-jar FILE (repeatable) adds a jar explicitly instead (the first one's classes are trained for CDS).
#   --agent-main CLASS: the class the guest starts (default io.goldilocks.agent.AgentMain; smoke-test.sh
#     uses its probe).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${GOLDILOCKS_CACHE:-$HOME/.cache/goldilocks}
JDK=${GOLDILOCKS_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
AGENT_MAIN=io.goldilocks.agent.AgentMain
KEEP_CACHE_ENTRIES=6
OUT=""
AGENT_DIR=""
AGENT_JARS=()
LAYOUT=${GOLDILOCKS_GUEST_LAYOUT:-erofs}
INITRD_COMPRESS=${GOLDILOCKS_INITRD_COMPRESS:-gzip}
FORCE=0
# Host packages whose files go into the guest; their versions are part of the cache key.
HOST_PACKAGES=(busybox-static runc libseccomp2 libc6 libstdc++6 libgcc-s1 zlib1g openjdk-17-jdk-headless openjdk-17-jre-headless)

log() { echo "[guest-image] $*" >&2; }
die() { echo "[guest-image] ERROR: $*" >&2; exit 1; }

parse_args() {
    while [ $# -gt 0 ]; do
        case "$1" in
            --out) OUT=$2; shift 2 ;;
            --agent-dir) AGENT_DIR=$2; shift 2 ;;
            --agent-jar) AGENT_JARS+=("$2"); shift 2 ;;
            --agent-main) AGENT_MAIN=$2; shift 2 ;;
            --layout) LAYOUT=$2; shift 2 ;;
            --force) FORCE=1; shift ;;
            *) die "unknown argument: $1" ;;
        esac
    done
    [ -n "$OUT" ] || die "--out DIR is required"
    case "$LAYOUT" in initramfs|erofs) ;; *) die "--layout must be initramfs or erofs, not $LAYOUT" ;; esac
    [ "$(id -u)" = 0 ] || die "must run as root (dpkg -x ownership, chroot for CDS training and checks)"
}

# The agent's own jar first, then its libraries, sorted: the order is fixed so the CDS class path matches.
collect_agent_jars() {
    if [ -n "$AGENT_DIR" ]; then
        [ -d "$AGENT_DIR" ] || die "agent directory $AGENT_DIR does not exist (build guest-agent first)"
        local main
        main=$(find "$AGENT_DIR" -maxdepth 1 -name 'goldilocks-guest-agent-*.jar' \
            ! -name '*-sources.jar' ! -name '*-tests.jar' ! -name '*-javadoc.jar' | sort | head -1)
        [ -n "$main" ] || die "no goldilocks-guest-agent-*.jar in $AGENT_DIR (build guest-agent first)"
        AGENT_JARS+=("$main")
        if [ -d "$AGENT_DIR/lib" ]; then
            while IFS= read -r j; do AGENT_JARS+=("$j"); done < <(find "$AGENT_DIR/lib" -maxdepth 1 -name '*.jar' | sort)
        fi
    fi
    [ ${#AGENT_JARS[@]} -gt 0 ] || die "no agent jars given (--agent-dir or --agent-jar)"
    local j
    for j in "${AGENT_JARS[@]}"; do [ -f "$j" ] || die "agent jar $j does not exist"; done
}

# One apt-cache call on the fast path: the metapackage names the kernel ABI and its version (part of the key).
resolve_kernel() {
    if [ -n "${GOLDILOCKS_KERNEL_ABI:-}" ]; then
        KERNEL_ABI=$GOLDILOCKS_KERNEL_ABI
        KERNEL_META_VERSION=pinned
    else
        local meta
        meta=$(apt-cache show --no-all-versions linux-image-cloud-amd64 2>/dev/null || true)
        KERNEL_ABI=$(echo "$meta" | sed -n 's/^Depends:.*linux-image-\([^ ,]*-cloud-amd64\)\b.*/\1/p' | head -1)
        KERNEL_META_VERSION=$(echo "$meta" | sed -n 's/^Version: //p' | head -1)
        [ -n "$KERNEL_ABI" ] || die "cannot find the kernel the linux-image-cloud-amd64 metapackage depends on (apt-get update?)"
    fi
    KERNEL_PKG=linux-image-$KERNEL_ABI-unsigned
}

resolve_kernel_package_version() {
    KERNEL_PKG_VERSION=$(apt-cache show --no-all-versions "$KERNEL_PKG" 2>/dev/null | sed -n 's/^Version: //p' | head -1)
    [ -n "$KERNEL_PKG_VERSION" ] || die "apt-cache knows no $KERNEL_PKG"
}

# A jar's entries' names and CRCs, not its bytes: Maven rewrites jars with new timestamps on every build.
jar_content_hash() {
    unzip -Z -v "$1" > /dev/null 2>&1 || die "$1 is not a jar"
    unzip -v "$1" | awk 'NR > 3 && length($7) == 8 && $7 ~ /^[0-9a-f]+$/ { print $7, $8 }' | LC_ALL=C sort | sha256sum | cut -d' ' -f1
}

# Everything that determines the image, one line each; its hash names the cache entry.
write_inputs() {
    echo "agent-main $AGENT_MAIN"
    echo "layout $LAYOUT erofs-opts ${GOLDILOCKS_EROFS_OPTS-} initrd-compress $INITRD_COMPRESS"
    echo "kernel $KERNEL_PKG linux-image-cloud-amd64=$KERNEL_META_VERSION"
    local p
    for p in "${HOST_PACKAGES[@]}"; do
        echo "package $p $(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo missing)"
    done
    echo "jdk $(cat "$JDK/release" | sha256sum | cut -d' ' -f1)"
    local j
    for j in "${AGENT_JARS[@]}"; do echo "agent-jar $(basename "$j") $(jar_content_hash "$j")"; done
    for p in "$HERE"/build-guest-image.sh "$HERE"/init "$HERE"/inittab "$HERE"/goldilocks-agent \
             "$HERE"/stage1-init "$HERE"/agent.jvm-options "$HERE"/modules.conf "$HERE"/guest.properties.in; do
        echo "script $(basename "$p") $(sha256sum < "$p" | cut -d' ' -f1)"
    done
}

fetch_kernel() {
    local debs="$CACHE/debs" deb
    resolve_kernel_package_version
    deb="$debs/${KERNEL_PKG}_${KERNEL_PKG_VERSION//:/%3a}_amd64.deb"
    mkdir -p "$debs"
    if [ ! -f "$deb" ]; then
        log "downloading $KERNEL_PKG $KERNEL_PKG_VERSION"
        (cd "$debs" && apt-get download "$KERNEL_PKG=$KERNEL_PKG_VERSION" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true)
        [ -f "$deb" ] || deb=$(find "$debs" -name "${KERNEL_PKG}_*.deb" | head -1)
        [ -f "$deb" ] || die "apt-get download $KERNEL_PKG failed"
    fi
    dpkg -x "$deb" "$WORK/kernel"
    cp "$WORK/kernel/boot/vmlinuz-$KERNEL_ABI" "$WORK/image/vmlinuz"
}

module_path() {  # module name -> path relative to /lib/modules/<abi>
    local name=$1 f
    f=$(find "$WORK/kernel/lib/modules/$KERNEL_ABI/kernel" \( -name "$name.ko" -o -name "${name//_/-}.ko" \) | head -1)
    [ -n "$f" ] || die "kernel module $name not found in $KERNEL_PKG"
    echo "${f#"$WORK/kernel/lib/modules/$KERNEL_ABI/"}"
}

module_depends() {
    tr '\0' '\n' < "$WORK/kernel/lib/modules/$KERNEL_ABI/$1" | sed -n 's/^depends=//p' | tr ',' ' '
}

# Prints the module and its dependencies, dependencies first (depth-first post-order, no repeats).
declare -A SEEN_MODULES=()
module_closure() {
    local rel dep
    rel=$(module_path "$1")
    [ -z "${SEEN_MODULES[$rel]:-}" ] || return 0
    SEEN_MODULES[$rel]=1
    for dep in $(module_depends "$rel"); do module_closure "$dep"; done
    echo "$rel"
}

stage_modules() {
    local src="$WORK/kernel/lib/modules/$KERNEL_ABI" dst="$ROOT/lib/modules/$KERNEL_ABI" kind name rel
    mkdir -p "$dst" "$ROOT/etc/goldilocks"
    : > "$ROOT/etc/goldilocks/boot-modules"
    while read -r kind name; do
        case "$kind" in ''|'#'*) continue ;; esac
        while read -r rel; do   # (module_closure runs in a subshell: repeats are filtered here)
            [ -f "$dst/$rel" ] && [ "$kind" = available ] && continue
            grep -qx "$rel" "$ROOT/etc/goldilocks/boot-modules" && continue
            mkdir -p "$dst/$(dirname "$rel")"
            cp "$src/$rel" "$dst/$rel"
            [ "$kind" != boot ] || echo "$rel" >> "$ROOT/etc/goldilocks/boot-modules"
        done < <(module_closure "$name")
    done < "$HERE/modules.conf"
    busybox depmod -b "$ROOT" "$KERNEL_ABI"
    [ -s "$dst/modules.dep" ] || die "depmod wrote no modules.dep"
}

# Copies an ELF file's shared libraries (as ldd resolves them on this Debian host) to the same paths.
copy_libs() {
    local lib
    for lib in $(ldd "$@" 2>/dev/null | awk '/=> \//{print $3} /^\t\/[^ ]*ld-linux/{print $1}' | sort -u); do
        case "$lib" in "$ROOT"/*) continue ;; esac   # the JRE's own libraries, already staged
        [ -e "$ROOT$lib" ] && continue
        mkdir -p "$ROOT$(dirname "$lib")"
        cp -L "$lib" "$ROOT$lib"
    done
}

stage_base() {
    mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,etc/goldilocks,proc,sys,dev,run,tmp,root,var,lib64,agent,lib/x86_64-linux-gnu}
    ln -s ../run "$ROOT/var/run"
    cp /bin/busybox "$ROOT/bin/busybox"
    local app
    for app in $(/bin/busybox --list-full); do
        [ -e "$ROOT/$app" ] || ln -s /bin/busybox "$ROOT/$app"
    done
    cp "$(command -v runc)" "$ROOT/usr/sbin/runc"
    copy_libs "$ROOT/usr/sbin/runc"
    cp "$HERE/init" "$ROOT/init"
    cp "$HERE/inittab" "$ROOT/etc/inittab"
    cp "$HERE/goldilocks-agent" "$ROOT/sbin/goldilocks-agent"
    cp "$HERE/agent.jvm-options" "$ROOT/etc/goldilocks/agent.jvm-options"
    chmod 0755 "$ROOT/init" "$ROOT/sbin/goldilocks-agent"
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$ROOT/etc/passwd"
    printf 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n' > "$ROOT/etc/group"
    printf '127.0.0.1 localhost\n::1 localhost\n' > "$ROOT/etc/hosts"
    printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$ROOT/etc/nsswitch.conf"
}

# The JDK modules the agent needs (jdeps), plus those reflection-heavy libraries need but jdeps cannot see.
agent_modules() {
    local found
    found=$("$JDK/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 \
        --class-path "$(IFS=:; echo "${AGENT_JARS[*]}")" "${AGENT_JARS[@]}" 2>/dev/null \
        | grep -E '^[a-z][a-z0-9.]*(,[a-z][a-z0-9.]*)*$' | tail -1 || true)   # (jdeps warns on stdout too)
    [ -n "$found" ] || log "jdeps found no module dependencies; using the base set only"
    echo "java.base,jdk.unsupported,java.logging${found:+,$found}" | tr ',' '\n' | sort -u | paste -sd,
}

stage_jre() {
    JRE_MODULES=$(agent_modules)
    log "jlink --add-modules $JRE_MODULES"
    "$JDK/bin/jlink" --add-modules "$JRE_MODULES" --output "$ROOT/jre" \
        --strip-debug --no-header-files --no-man-pages --compress=2 --generate-cds-archive
    find "$ROOT/jre" -name '*.so' -exec strip --strip-unneeded {} +
    rm -f "$ROOT/jre/lib/server/classes_nocoops.jsa"   # the guest heap is small: compressed oops always
    copy_libs "$ROOT"/jre/bin/java $(find "$ROOT/jre/lib" -name '*.so')
}

# /agent/<agent jar> and /agent/lib/<libraries>: the layout the agent jar's manifest Class-Path expects.
stage_agent() {
    local j dest cp=""
    mkdir -p "$ROOT/agent/lib"
    for j in "${AGENT_JARS[@]}"; do
        if [ -z "$cp" ]; then dest=/agent/$(basename "$j"); else dest=/agent/lib/$(basename "$j"); fi
        cp "$j" "$ROOT$dest"
        cp="${cp:+$cp:}$dest"
    done
    echo "$cp" > "$ROOT/agent/classpath"
    echo "$AGENT_MAIN" > "$ROOT/etc/goldilocks/agent.main"
}

# AppCDS archive of the agent's classes, trained inside the staged root so the class path matches the guest's.
train_cds() {
    if ! unzip -l "${AGENT_JARS[0]}" "${AGENT_MAIN//.//}.class" >/dev/null 2>&1; then
        log "!!!!!!!! WARNING: ${AGENT_JARS[0]} has no $AGENT_MAIN: no agent CDS archive (the image will not run an agent) !!!!!!!!"
        return 0
    fi
    local opts
    opts=$(cat "$ROOT/etc/goldilocks/agent.jvm-options")
    mount -t proc proc "$ROOT/proc"   # ld.so resolves java's $ORIGIN rpath through /proc/self/exe
    # shellcheck disable=SC2086
    if ! timeout 120 chroot "$ROOT" /jre/bin/java $opts -XX:ArchiveClassesAtExit=/agent/agent.jsa \
            -cp "$(cat "$ROOT/agent/classpath")" "$AGENT_MAIN" --self-test > "$WORK/self-test.log" 2>&1; then
        umount "$ROOT/proc"
        rm -f "$ROOT/agent/agent.jsa"
        sed 's/^/    /' "$WORK/self-test.log" >&2
        log "!!!!!!!! WARNING: '$AGENT_MAIN --self-test' failed in the staged root: no agent CDS archive; the agent starts slower !!!!!!!!"
        return 0
    fi
    umount "$ROOT/proc"
    [ -s "$ROOT/agent/agent.jsa" ] || die "the self-test passed but wrote no CDS archive"
    log "agent CDS archive: $(du -h "$ROOT/agent/agent.jsa" | cut -f1)"
}

pack_initramfs() {  # $1 = source dir, $2 = output file
    (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | compress_initrd > "$2"
}

compress_initrd() {
    case "$INITRD_COMPRESS" in
        none) cat ;;
        gzip) gzip -1 ;;
        zstd) zstd -q -T0 -3 ;;
        *) die "unknown initrd compression $INITRD_COMPRESS (none, gzip, zstd)" ;;
    esac
}

pack() {
    if [ "$LAYOUT" = initramfs ]; then
        pack_initramfs "$ROOT" "$WORK/image/initrd.img"
        ROOTFS_TYPE=""
        return
    fi
    mkfs.erofs ${GOLDILOCKS_EROFS_OPTS-} "$WORK/image/rootfs.img" "$ROOT" > "$WORK/mkfs.log" 2>&1 || { cat "$WORK/mkfs.log" >&2; die "mkfs.erofs failed"; }
    ROOTFS_TYPE=erofs
    local s1="$WORK/stage1" rel
    mkdir -p "$s1"/{bin,proc,dev,newroot}
    cp /bin/busybox "$s1/bin/busybox"
    for rel in sh mount umount insmod sleep mkdir switch_root poweroff cat; do ln -s busybox "$s1/bin/$rel"; done
    cp "$HERE/stage1-init" "$s1/init"
    : > "$s1/stage1-modules"
    for rel in $(module_closure virtio_mmio) $(module_closure virtio_blk) $(module_closure erofs); do
        grep -qx "$KERNEL_ABI/$rel" "$s1/stage1-modules" && continue
        mkdir -p "$s1/lib/modules/$KERNEL_ABI/$(dirname "$rel")"
        cp "$ROOT/lib/modules/$KERNEL_ABI/$rel" "$s1/lib/modules/$KERNEL_ABI/$rel"
        echo "$KERNEL_ABI/$rel" >> "$s1/stage1-modules"
    done
    echo "$ROOTFS_TYPE" > "$s1/rootfstype"
    pack_initramfs "$s1" "$WORK/image/initrd.img"
}


write_properties() {
    local f="$WORK/image/guest.properties"
    sed -e "s|@KERNEL_ABI@|$KERNEL_ABI|" -e "s|@KERNEL_PKG_VERSION@|$KERNEL_PKG_VERSION|" \
        -e "s|@LAYOUT@|$LAYOUT|" -e "s|@HASH@|$HASH|" \
        -e "s|@JRE_MODULES@|$JRE_MODULES|" -e "s|@AGENT_MAIN@|$AGENT_MAIN|" \
        -e "s|@AGENT_CDS@|$([ -f "$ROOT/agent/agent.jsa" ] && echo true || echo false)|" \
        -e "s|@ROOTFS_TYPE@|$ROOTFS_TYPE|" \
        "$HERE/guest.properties.in" > "$f"
    local name
    for name in vmlinuz initrd.img rootfs.img; do
        [ -f "$WORK/image/$name" ] && echo "size.$name=$(stat -c %s "$WORK/image/$name")" >> "$f"
    done
    if [ -n "$ROOTFS_TYPE" ]; then   # the launcher attaches it as the first virtio-blk disk (/dev/vda), read-only
        printf 'rootfs.file=rootfs.img\nrootfs.device=virtio-blk\nrootfs.readonly=true\n' >> "$f"
    fi
    echo "size.root.unpacked=$(du -sb "$ROOT" | cut -f1)" >> "$f"
    cp "$WORK/inputs" "$WORK/image/inputs.txt"
}

publish() {  # copies a complete cache entry to --out, replacing what was there
    mkdir -p "$OUT"
    rm -f "$OUT"/{vmlinuz,initrd.img,rootfs.img,guest.properties,inputs.txt}
    cp -a "$1"/. "$OUT"/
    log "guest image ($(sed -n 's/^layout=//p' "$OUT/guest.properties")) in $OUT"
}

cleanup() {
    if [ -n "${ROOT:-}" ] && mountpoint -q "$ROOT/proc"; then umount "$ROOT/proc" || umount -l "$ROOT/proc"; fi
    rm -rf --one-file-system "$WORK"
}

main() {
    parse_args "$@"
    collect_agent_jars
    resolve_kernel
    mkdir -p "$CACHE/guest"
    local inputs
    inputs=$(write_inputs)
    HASH=$(echo "$inputs" | sha256sum | cut -c1-16)
    local entry="$CACHE/guest/$HASH"
    if [ -f "$entry/guest.properties" ] && [ $FORCE = 0 ]; then
        log "inputs unchanged (cache $HASH)"
        touch "$entry"   # recently used: pruning keeps it
        publish "$entry"
        return
    fi
    WORK=$(mktemp -d "$CACHE/guest/.build-XXXXXX")
    trap cleanup EXIT
    ROOT="$WORK/root"
    mkdir -p "$ROOT" "$WORK/image"
    echo "$inputs" > "$WORK/inputs"
    log "building (cache $HASH, layout $LAYOUT)"
    fetch_kernel
    stage_base
    stage_modules
    stage_jre
    stage_agent
    train_cds
    pack
    write_properties
    rm -rf "$entry"
    mv "$WORK/image" "$entry"
    publish "$entry"
    prune_cache
}

prune_cache() {  # keeps the most recently built entries
    local old
    for old in $(ls -1td "$CACHE"/guest/*/ | tail -n +$((KEEP_CACHE_ENTRIES + 1))); do rm -rf "$old"; done
}

main "$@"
