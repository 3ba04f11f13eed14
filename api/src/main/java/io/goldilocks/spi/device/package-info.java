/**
 * Device plugins: plan host devices (e.g. VFIO PCI passthrough) and guest device nodes for a container's
 * device requests (OCI {@code linux.devices}, CDI annotations).
 *
 * <p>Versioned with semantic versioning: a plugin built against 1.x runs on every 1.y host with y &gt;= x.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.goldilocks.spi.device;
