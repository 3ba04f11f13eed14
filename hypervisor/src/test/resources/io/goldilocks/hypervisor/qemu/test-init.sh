#!/bin/busybox sh
# /init of the hypervisor tests' guest. Kernel arguments: gl.echo=<port name> echoes lines on that virtio-serial
# port; gl.share=<tag> mounts that virtio-fs share, prints what the host left in
# from-host.txt and writes from-guest.txt.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in virtio_ring virtio virtio_mmio virtio_console fuse virtiofs evdev button; do
  insmod /lib/modules/$m.ko || echo "insmod $m failed"
done
echo GOLDILOCKS-TEST-GUEST-UP

# The ACPI power button (QMP system_powerdown) is the only input device: any event from it powers off.
if [ -e /dev/input/event0 ]; then
  ( head -c 1 /dev/input/event0 > /dev/null; echo POWER-BUTTON-PRESSED; poweroff -f ) &
fi

arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p"; }

share=$(arg gl.share)
if [ -n "$share" ]; then
  mount -t virtiofs "$share" /mnt && echo "SHARE-READ:$(cat /mnt/from-host.txt)" \
    && echo "written by the guest" > /mnt/from-guest.txt && sync && echo SHARE-WRITTEN
fi

echo_port=$(arg gl.echo)
if [ -n "$echo_port" ]; then
  for f in /sys/class/virtio-ports/*/name; do
    [ "$(cat "$f")" = "$echo_port" ] && dev=/dev/$(basename "$(dirname "$f")")
  done
  echo "ECHO-PORT:$dev"
  exec 3<>"$dev"
  while true; do
    # read returns at once while no host client is connected: poll
    while read -r line <&3; do
      echo "echo:$line" >&3
    done
    sleep 0.1
  done
fi
while true; do sleep 1000; done
