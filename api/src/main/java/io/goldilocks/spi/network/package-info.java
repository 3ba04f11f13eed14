/**
 * Network plugins: give the VM its network devices for a sandbox's network namespace and tell the guest how
 * to configure interfaces, addresses and routes.
 *
 * <p>Versioned with semantic versioning: a plugin built against 1.x runs on every 1.y host with y &gt;= x.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.goldilocks.spi.network;
