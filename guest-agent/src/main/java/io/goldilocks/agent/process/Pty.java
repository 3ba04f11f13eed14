package io.goldilocks.agent.process;

import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.io.InputStream;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * A pseudo-terminal whose master end the agent holds, for processes with a terminal.
 *
 * <p>Why: runc's foreground terminal mode (the agent stays runc's parent and gets the exit status) needs runc to
 * have a controlling terminal, which it then proxies to the container's own pty. The JDK cannot allocate a pty or
 * set its window size, so the few libc calls go through jnr-ffi, loaded only when a terminal is first used. runc
 * runs with this pty's slave as its stdio and controlling terminal; the agent reads and writes the master, and a
 * resize here raises SIGWINCH in runc, which resizes the container's terminal to match.
 *
 * <p>Thread-safe: reads happen on one pump thread, writes and resizes are serialized on {@code this}; the master is
 * closed once, by {@link #close}.
 */
public final class Pty implements AutoCloseable {
  private static final int O_RDWR = 02;
  private static final int O_NOCTTY = 0400;
  private static final int O_CLOEXEC = 02000000;
  private static final long TIOCSWINSZ = 0x5414;
  private static final int EINTR = 4;

  /** The libc calls used. Loaded lazily by {@link Holder}. */
  public interface LibC {
    int posix_openpt(int flags);

    int grantpt(int fd);

    int unlockpt(int fd);

    int ptsname_r(int fd, @Out byte[] buf, long buflen);

    int ioctl(int fd, long request, @In short[] winsize);

    long read(int fd, @Out byte[] buf, long count);

    long write(int fd, @In byte[] buf, long count);

    int close(int fd);

    int tcgetattr(int fd, @Out byte[] termios);

    void cfmakeraw(byte[] termios);

    int tcsetattr(int fd, int optionalActions, @In byte[] termios);
  }

  /** Loads libc on first use (initialization-on-demand). */
  private static final class Holder {
    static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);
  }

  private final int master;
  private final String slavePath;
  private volatile boolean closed;

  private Pty(int master, String slavePath) {
    this.master = master;
    this.slavePath = slavePath;
  }

  /** Allocates a pty; INTERNAL when the guest cannot (no devpts, libc unavailable). */
  public static Pty open() throws TtrpcException {
    LibC c;
    try {
      c = Holder.LIBC;
    } catch (LinkageError | RuntimeException e) {
      throw TtrpcException.internal("cannot load libc for terminals: %s", e);
    }
    int fd = c.posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
      throw TtrpcException.internal("posix_openpt failed: errno %d", errno());
    }
    byte[] name = new byte[128];
    // Raw from the start: runc makes it raw too, but only after it began copying, so its first output would get
    // the line discipline's \r\n translation twice. (On a master fd, the termios calls act on the slave.)
    byte[] termios = new byte[128]; // glibc's struct termios is 60 bytes
    if (c.grantpt(fd) != 0 || c.unlockpt(fd) != 0 || c.ptsname_r(fd, name, name.length) != 0
        || c.tcgetattr(fd, termios) != 0 || !raw(c, fd, termios)) {
      int errno = errno();
      c.close(fd);
      throw TtrpcException.internal("cannot prepare a pty: errno %d", errno);
    }
    int len = 0;
    while (len < name.length && name[len] != 0) {
      len++;
    }
    return new Pty(fd, new String(name, 0, len, java.nio.charset.StandardCharsets.US_ASCII));
  }

  private static boolean raw(LibC c, int fd, byte[] termios) {
    c.cfmakeraw(termios);
    return c.tcsetattr(fd, 0 /* TCSANOW */, termios) == 0;
  }

  private static int errno() {
    return Holder.RUNTIME.getLastError();
  }

  /** The slave's path (e.g. /dev/pts/3): runc's stdio and controlling terminal. */
  public String slavePath() {
    return slavePath;
  }

  /**
   * What the terminal prints; EOF once every slave user (runc) is gone and the output is read. Closing the stream
   * closes the pty (the reader is the last user of the master: only it may close, never under a blocked read).
   */
  public InputStream output() {
    return new InputStream() {
      @Override
      public void close() {
        Pty.this.close();
      }

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        // jnr copies the whole array back after read(2): only an array of exactly len bytes may be b itself
        byte[] buf = off == 0 && len == b.length ? b : new byte[len];
        while (true) {
          if (closed) {
            return -1;
          }
          long n = Holder.LIBC.read(master, buf, len);
          if (n > 0) {
            if (buf != b) {
              System.arraycopy(buf, 0, b, off, (int) n);
            }
            return (int) n;
          }
          if (n == 0 || errno() != EINTR) {
            return -1; // EIO: the slave side is closed for good
          }
        }
      }
    };
  }

  /** Types into the terminal (the process's stdin). */
  public synchronized void write(byte[] data) throws IOException {
    int off = 0;
    while (off < data.length) {
      if (closed) {
        throw new IOException("terminal closed");
      }
      byte[] rest = off == 0 ? data : java.util.Arrays.copyOfRange(data, off, data.length);
      long n = Holder.LIBC.write(master, rest, rest.length);
      if (n < 0 && errno() != EINTR) {
        throw new IOException("write to terminal failed: errno " + errno());
      }
      off += (int) Math.max(0, n);
    }
  }

  /** Sets the window size (TIOCSWINSZ); the foreground process group (runc) gets SIGWINCH. */
  public synchronized void resize(int width, int height) throws TtrpcException {
    if (closed) {
      throw TtrpcException.failedPrecondition("terminal closed");
    }
    short[] winsize = {(short) height, (short) width, 0, 0};
    if (Holder.LIBC.ioctl(master, TIOCSWINSZ, winsize) != 0) {
      throw TtrpcException.internal("TIOCSWINSZ failed: errno %d", errno());
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      Holder.LIBC.close(master);
    }
  }
}
