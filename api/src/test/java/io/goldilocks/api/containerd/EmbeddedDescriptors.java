package io.goldilocks.api.containerd;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Finds the .proto descriptors a Go binary built with gogo/protobuf carries: each generated file registers its
 * FileDescriptorProto as a gzip blob (fixed 10-byte header {@code 1f 8b 08 00 00 00 00 00 ..}) in read-only data.
 * Reading them out of Debian's containerd gives its definitions as compiled, independent of any source we read.
 * Not thread-safe.
 */
final class EmbeddedDescriptors {
  private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 0x08, 0, 0, 0, 0, 0};
  private static final int MAX_DESCRIPTOR = 1 << 20;

  private EmbeddedDescriptors() {}

  /** Descriptors by file name (e.g. "github.com/containerd/containerd/api/types/mount.proto"). */
  static Map<String, FileDescriptorProto> read(Path binary) throws IOException {
    byte[] data = Files.readAllBytes(binary);
    Map<String, FileDescriptorProto> files = new HashMap<>();
    for (int i = indexOf(data, 0); i >= 0; i = indexOf(data, i + 1)) {
      byte[] inflated = inflate(data, i);
      if (inflated == null) {
        continue;
      }
      try {
        FileDescriptorProto file = FileDescriptorProto.parseFrom(inflated);
        if (file.getName().endsWith(".proto")) {
          files.putIfAbsent(file.getName(), file);
        }
      } catch (InvalidProtocolBufferException notADescriptor) {
        // some other gzip blob
      }
    }
    return files;
  }

  private static byte[] inflate(byte[] data, int offset) {
    int length = Math.min(MAX_DESCRIPTOR, data.length - offset);
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data, offset, length))) {
      return in.readNBytes(MAX_DESCRIPTOR);
    } catch (IOException notGzip) {
      return null;
    }
  }

  private static int indexOf(byte[] data, int from) {
    outer:
    for (int i = from; i <= data.length - GZIP_HEADER.length; i++) {
      for (int j = 0; j < GZIP_HEADER.length; j++) {
        if (data[i + j] != GZIP_HEADER[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
