/**
 * Storage plugins: turn containerd's rootfs mounts and the OCI spec's mounts into VM devices or shares
 * (described as values) and the mounts the host and the guest must perform.
 *
 * <p>Versioned with semantic versioning: a plugin built against 1.x runs on every 1.y host with y &gt;= x.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.goldilocks.spi.storage;
