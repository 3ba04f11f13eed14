package io.goldilocks.ttrpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;

/** How a test's client reaches its server: a Unix socket, or a pair of OS pipes standing in for virtio-serial. */
enum Endpoint {
  UNIX_SOCKET {
    @Override
    TtrpcClient connect(TtrpcServer server, Path dir) throws IOException {
      Path socket = dir.resolve("ttrpc-" + System.nanoTime() + ".sock");
      server.listen(socket);
      return TtrpcClient.connect(socket);
    }
  },
  STREAMS {
    @Override
    TtrpcClient connect(TtrpcServer server, Path dir) throws IOException {
      Pipe toServer = Pipe.open();
      Pipe toClient = Pipe.open();
      server.serve(Channels.newInputStream(toServer.source()), Channels.newOutputStream(toClient.sink()));
      return TtrpcClient.over(Channels.newInputStream(toClient.source()), Channels.newOutputStream(toServer.sink()));
    }
  };

  abstract TtrpcClient connect(TtrpcServer server, Path dir) throws IOException;

  static Path tempDir() {
    try {
      return Files.createTempDirectory("ttrpc-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
