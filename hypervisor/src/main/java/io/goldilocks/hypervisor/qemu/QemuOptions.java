package io.goldilocks.hypervisor.qemu;

/** QEMU option-string quoting. Thread-safe (stateless). */
final class QemuOptions {
  private QemuOptions() {}

  /** Escapes a value inside a QEMU {@code key=value,...} option string: a comma is written twice. */
  static String escape(String value) {
    return value.replace(",", ",,");
  }
}
