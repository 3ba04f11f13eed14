package io.goldilocks.agent.json;

/** Malformed JSON input; the message names what and where. Immutable. */
public final class JsonException extends Exception {
  private static final long serialVersionUID = 1L;

  public JsonException(String message) {
    super(message);
  }
}
