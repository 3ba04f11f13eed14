package io.goldilocks.ttrpc;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A named ttrpc service (e.g. {@code containerd.task.v2.Task}) and its methods' handlers. Immutable once built,
 * thread-safe. The builder is not thread-safe.
 */
public final class Service {
  /** How a method streams, as Go ttrpc's StreamingClient/StreamingServer pair. */
  enum Kind {
    UNARY(false, false), SERVER_STREAMING(false, true), CLIENT_STREAMING(true, false), BIDI_STREAMING(true, true);

    final boolean clientStreams;
    final boolean serverStreams;

    Kind(boolean clientStreams, boolean serverStreams) {
      this.clientStreams = clientStreams;
      this.serverStreams = serverStreams;
    }
  }

  /** One registered method; {@code handler} is a UnaryHandler for UNARY, a StreamHandler otherwise. */
  record Method(String name, Kind kind, Parser<? extends Message> parser, Object handler) {}

  private final String name;
  private final Map<String, Method> methods;

  private Service(String name, Map<String, Method> methods) {
    this.name = name;
    this.methods = Map.copyOf(methods);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  Optional<Method> method(String method) {
    return Optional.ofNullable(methods.get(method));
  }

  public static final class Builder {
    private final String name;
    private final Map<String, Method> methods = new LinkedHashMap<>();

    private Builder(String name) {
      if (Objects.requireNonNull(name, "name").isEmpty()) {
        throw new IllegalArgumentException("service name must not be empty");
      }
      this.name = name;
    }

    public <Q extends Message, R extends Message> Builder unary(String method, Parser<Q> parser,
        UnaryHandler<Q, R> handler) {
      return add(method, Kind.UNARY, parser, handler);
    }

    /** The client sends one request: {@code receive()} yields it once, then null. */
    public <Q extends Message, R extends Message> Builder serverStreaming(String method, Parser<Q> parser,
        StreamHandler<Q, R> handler) {
      return add(method, Kind.SERVER_STREAMING, parser, handler);
    }

    /** The handler sends exactly one response with {@code stream.send(...)} before returning. */
    public <Q extends Message, R extends Message> Builder clientStreaming(String method, Parser<Q> parser,
        StreamHandler<Q, R> handler) {
      return add(method, Kind.CLIENT_STREAMING, parser, handler);
    }

    public <Q extends Message, R extends Message> Builder bidiStreaming(String method, Parser<Q> parser,
        StreamHandler<Q, R> handler) {
      return add(method, Kind.BIDI_STREAMING, parser, handler);
    }

    public Service build() {
      return new Service(name, methods);
    }

    private Builder add(String method, Kind kind, Parser<? extends Message> parser, Object handler) {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(parser, "parser");
      Objects.requireNonNull(handler, "handler");
      if (methods.putIfAbsent(method, new Method(method, kind, parser, handler)) != null) {
        throw new IllegalArgumentException("method " + name + "/" + method + " registered twice");
      }
      return this;
    }
  }
}
