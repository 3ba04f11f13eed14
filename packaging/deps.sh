#!/usr/bin/env bash
# Installs the Debian packages Goldilocks needs to build, run and test (idempotent).
# One list for the README's setup, the test command and CI, so they cannot drift apart.
set -euo pipefail

PACKAGES=(
  openjdk-17-jdk-headless maven          # build
  qemu-system-x86 qemu-utils             # the hypervisor (TCG here; KVM where it works); virtiofsd ships in qemu-system-common
  containerd runc                        # containerd 1.6 + runc (host side for comparisons; guest side goes into the image)
  busybox-static                         # guest userland and test rootfs
  umoci skopeo                           # local OCI images without a registry
  cpio zstd xz-utils kmod                # guest image assembly (initramfs, module deps)
  erofs-utils squashfs-tools e2fsprogs   # read-only root images
  iproute2 iptables containernetworking-plugins   # tap/tc networking, CNI
  util-linux procps psmisc               # setsid, script, mount, ps, fuser
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: run as root (apt-get install)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
