package io.goldilocks.api.containerd;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A hand-rolled protobuf encoder (tags, varints, length prefixes), written from the protobuf wire-format spec and
 * independent of protobuf-java, so tests can build the bytes containerd would send from containerd's field numbers
 * alone and check that our generated classes read them back. Not thread-safe.
 */
final class HandWire {
  private static final int VARINT = 0;
  private static final int LEN = 2;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static HandWire message() {
    return new HandWire();
  }

  HandWire varint(int field, long value) {
    writeVarint(((long) field << 3) | VARINT);
    writeVarint(value);
    return this;
  }

  HandWire string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  HandWire message(int field, HandWire nested) {
    return bytes(field, nested.toBytes());
  }

  HandWire bytes(int field, byte[] value) {
    writeVarint(((long) field << 3) | LEN);
    writeVarint(value.length);
    out.writeBytes(value);
    return this;
  }

  byte[] toBytes() {
    return out.toByteArray();
  }

  /** google.protobuf.Timestamp: seconds = 1, nanos = 2. */
  static HandWire timestamp(long seconds, int nanos) {
    return message().varint(1, seconds).varint(2, nanos);
  }

  /** google.protobuf.Any: type_url = 1, value = 2. */
  static HandWire any(String typeUrl, HandWire value) {
    return message().string(1, typeUrl).bytes(2, value.toBytes());
  }

  private void writeVarint(long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}
