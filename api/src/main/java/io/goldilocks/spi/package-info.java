/**
 * Shared value types of the Goldilocks plugin SPI: the sandbox a request belongs to, mounts, and the one
 * checked exception a plugin throws.
 *
 * <p>Versioned with semantic versioning: a plugin built against 1.x runs on every 1.y host with y &gt;= x.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.goldilocks.spi;
