#!/usr/bin/env bash
# Builds a one-layer OCI image (tar of an OCI layout, tag "latest") from Debian's busybox-static, with no
# registry: umoci only. Cached: rebuilt only when busybox changes. Usage: busybox-image.sh OUT.tar
set -euo pipefail
OUT=$1
BUSYBOX=${BUSYBOX:-/bin/busybox}
stamp="$(sha256sum "$BUSYBOX" | cut -c1-16)"
if [ -f "$OUT" ] && [ "$(cat "$OUT.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$OUT"; exit 0
fi
mkdir -p "$(dirname "$OUT")"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
umoci init --layout oci
umoci new --image oci:busybox
umoci unpack --rootless --image oci:busybox bundle >/dev/null
R=bundle/rootfs
mkdir -p $R/bin $R/sbin $R/usr/bin $R/usr/sbin $R/etc $R/tmp $R/proc $R/sys $R/dev $R/root
chmod 1777 $R/tmp
cp "$BUSYBOX" $R/bin/busybox
for a in $("$BUSYBOX" --list); do [ "$a" = busybox ] || ln -sf busybox "$R/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' > $R/etc/passwd
echo 'root:x:0:' > $R/etc/group
umoci repack --image oci:busybox bundle
umoci config --image oci:busybox --config.cmd /bin/sh --config.env PATH=/bin:/sbin:/usr/bin:/usr/sbin \
  --config.workingdir / --architecture amd64 --os linux
umoci tag --image oci:busybox latest
umoci rm --image oci:busybox
tar -C oci -cf "$OUT.tmp" .
mv "$OUT.tmp" "$OUT"
echo "$stamp" > "$OUT.stamp"
echo "$OUT"
