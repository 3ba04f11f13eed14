#!/usr/bin/env bash
# Installs a built Goldilocks tree (`mvn -B package -DskipTests`) into ${GOLDILOCKS_PREFIX:-/opt/goldilocks}:
#
#   bin/containerd-shim-goldilocks-v2, bin/goldilocks   launchers (packaging/bin, shim/src/main/sh)
#   lib/*.jar                                           the shim and its runtime class path
#   lib/felix/*.jar                                     the plugin host's infrastructure bundles (shim/target/felix)
#   bundles/*.jar                                       the shipped plugins (storage-virtiofs, network-tcfilter, gpu)
#   share/guest/{vmlinuz,initrd.img,...}                the guest image (packaging/target/guest)
#   etc/goldilocks.toml                                 defaults, written only when absent (local edits are kept)
#
# and links both launchers into ${GOLDILOCKS_BINDIR:-/usr/local/bin}, where containerd finds
# containerd-shim-goldilocks-v2 for runtime io.containerd.goldilocks.v2. The class-data sharing archive
# (lib/shim.jsa) is written by the first `start` after an install. It never touches a containerd config: see
# docs/containerd.md for the snippet to add yourself.
#
# Environment: GOLDILOCKS_PREFIX, GOLDILOCKS_BINDIR, GOLDILOCKS_NO_LINKS=1 (skip the links).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
prefix=${GOLDILOCKS_PREFIX:-/opt/goldilocks}
bindir=${GOLDILOCKS_BINDIR:-/usr/local/bin}

die() { echo "install.sh: $*" >&2; exit 1; }

shim_jar=$(ls "$repo"/shim/target/goldilocks-shim-*.jar 2>/dev/null | grep -v -- '-tests.jar' | head -1 || true)
classpath_file=$repo/shim/target/shim.classpath
[ -n "$shim_jar" ] && [ -f "$classpath_file" ] || die "build first: mvn -B package -DskipTests (no shim jar in $repo/shim/target)"

install -d "$prefix/bin" "$prefix/lib" "$prefix/share/guest" "$prefix/etc"

# lib: replace everything, so no stale jar changes the class path (and the old CDS archive goes with them)
staging=$(mktemp -d "$prefix/lib.new.XXXXXX")
trap 'rm -rf "$staging"' EXIT
cp "$shim_jar" "$staging/"
IFS=: read -r -a deps < "$classpath_file" || true  # no trailing newline: read says 1
for jar in "${deps[@]}"; do
  [ -f "$jar" ] || die "missing dependency $jar (rebuild with mvn -B package -DskipTests)"
  cp "$jar" "$staging/"
done
if compgen -G "$repo/shim/target/felix/*.jar" > /dev/null; then
  mkdir "$staging/felix"
  cp "$repo"/shim/target/felix/*.jar "$staging/felix/"
else
  echo "install.sh: warning: no Felix infrastructure bundles in shim/target/felix: shims run without plugins" >&2
fi
rm -rf "$prefix/lib.old"
mv "$prefix/lib" "$prefix/lib.old"
mv "$staging" "$prefix/lib"
chmod 755 "$prefix/lib"
rm -rf "$prefix/lib.old"
trap - EXIT

# shipped plugins: each replaced atomically (FileInstall watches this directory in every running shim)
install -d "$prefix/bundles"
for module in storage-virtiofs network-tcfilter gpu; do
  jar=$(ls "$repo/bundles/$module/target/"*.jar 2>/dev/null | grep -v -e '-tests\.jar$' -e '-sources\.jar$' | head -1 || true)
  if [ -n "$jar" ]; then
    install -m 0644 "$jar" "$prefix/bundles/.goldilocks-$module.jar.part"
    mv -f "$prefix/bundles/.goldilocks-$module.jar.part" "$prefix/bundles/goldilocks-$module.jar"
  else
    echo "install.sh: warning: bundle $module not built (bundles/$module/target)" >&2
  fi
done

install -m 755 "$repo/packaging/bin/containerd-shim-goldilocks-v2" "$prefix/bin/"
install -m 755 "$repo/shim/src/main/sh/goldilocks" "$prefix/bin/goldilocks"   # the CLI's own launcher

guest=$repo/packaging/target/guest
if [ -f "$guest/vmlinuz" ] && [ -f "$guest/initrd.img" ]; then
  cp -a "$guest/." "$prefix/share/guest/"
else
  echo "install.sh: warning: no guest image in $guest (build it: mvn -B -pl packaging -am package); sandboxes cannot boot" >&2
fi

if [ ! -f "$prefix/etc/goldilocks.toml" ]; then
  cat > "$prefix/etc/goldilocks.toml" <<TOML
# Goldilocks defaults (environment variables override; see docs/containerd.md)
[guest]
dir = "$prefix/share/guest"
[sandbox]
vcpus = 1
memory_mib = 512
boot_timeout_seconds = 60
[runtime]
dir = "/run/goldilocks"
TOML
fi

if [ "${GOLDILOCKS_NO_LINKS:-}" != 1 ]; then
  install -d "$bindir"
  ln -sfn "$prefix/bin/containerd-shim-goldilocks-v2" "$bindir/containerd-shim-goldilocks-v2"
  ln -sfn "$prefix/bin/goldilocks" "$bindir/goldilocks"
fi

echo "installed Goldilocks into $prefix ($(ls "$prefix/lib" | wc -l) jars)"
[ "${GOLDILOCKS_NO_LINKS:-}" = 1 ] || echo "linked containerd-shim-goldilocks-v2 and goldilocks into $bindir"
