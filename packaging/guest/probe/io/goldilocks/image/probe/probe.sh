# Run in the guest by GuestProbe; each "probe: " line is checked by smoke-test.sh.
echo "probe: pid1=$(cat /proc/1/comm)"
echo "probe: subtree_control=$(cat /sys/fs/cgroup/cgroup.subtree_control)"
echo "probe: modules=$(cut -d' ' -f1 /proc/modules | sort | tr '\n' ' ')"
for p in /sys/class/virtio-ports/*; do echo "probe: port $(cat "$p/name")"; done
echo "probe: root=$(awk '$2 == "/" { print $3 }' /proc/mounts)"
echo "probe: $(grep -E '^(MemTotal|MemAvailable|Shmem):' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"
ip addr show lo | grep -q 'inet 127.0.0.1' && echo "probe: lo up"
modprobe veth && echo "probe: modprobe veth ok"
# An orphan: its parent exits at once, so it is re-parented to PID 1, which must reap it when it exits.
sh -c 'sleep 0.2 & exit 0'
sleep 1
echo "probe: zombies=$(grep -l '^State:.*Z' /proc/[0-9]*/status 2>/dev/null | wc -l)"
# runc runs a container from a busybox root in /tmp, in its own cgroup.
mkdir -p /tmp/ctr/rootfs/bin
cp /bin/busybox /tmp/ctr/rootfs/bin/ && ln -s busybox /tmp/ctr/rootfs/bin/sh
cd /tmp/ctr && runc spec \
    && sed -i 's/"terminal": true/"terminal": false/; s/"sh"$/"sh", "-c", "echo probe: in container $(cat \/proc\/self\/cgroup)"/' config.json \
    && runc run probe1 && echo "probe: runc run ok"
