package io.goldilocks.agent.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON tree reader/writer (RFC 8259) for the OCI documents the agent rewrites.
 *
 * <p>Why not Jackson: the agent starts inside a TCG-emulated guest where every loaded class costs start-up time; the
 * agent only needs to parse a config.json into a tree, change a few members and write it back. Measured numbers are
 * in the module README. Objects become {@link LinkedHashMap} (member order kept), arrays {@link ArrayList}, numbers
 * {@link BigDecimal} (no precision lost on 64-bit ids or limits), plus String, Boolean and {@link #NULL}.
 *
 * <p>Input is bounded by the caller (the agent checks sizes first); nesting is bounded here ({@value #MAX_DEPTH}).
 * Thread-safe (stateless; each parse uses its own reader).
 */
public final class Json {
  /** The JSON null value (maps cannot hold Java null portably across our code). */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  static final int MAX_DEPTH = 64;

  private Json() {}

  /** Parses one JSON value; trailing non-whitespace is an error. */
  public static Object parse(String text) throws JsonException {
    Reader reader = new Reader(text);
    Object value = reader.value(0);
    reader.skipWhitespace();
    if (!reader.atEnd()) {
      throw reader.error("trailing characters");
    }
    return value;
  }

  /** Parses a JSON object; any other top-level value is an error. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) throws JsonException {
    Object value = parse(text);
    if (!(value instanceof Map)) {
      throw new JsonException("expected a JSON object");
    }
    return (Map<String, Object>) value;
  }

  /** Writes a tree built from the types {@link #parse} produces (plus Java numbers and collections). */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder(256);
    Writer.value(out, value);
    return out.toString();
  }

  /** The member as an object, or null when absent or not an object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    return value instanceof Map ? (Map<String, Object>) value : null;
  }

  /** The member as an array, or null when absent or not an array. */
  @SuppressWarnings("unchecked")
  public static List<Object> array(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    return value instanceof List ? (List<Object>) value : null;
  }

  /** The member as a string, or null when absent or not a string. */
  public static String string(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    return value instanceof String ? (String) value : null;
  }

  /** Recursive-descent reader over a string. Not thread-safe (one per parse). */
  private static final class Reader {
    private final String text;
    private int pos;

    Reader(String text) {
      this.text = text;
    }

    boolean atEnd() {
      return pos >= text.length();
    }

    JsonException error(String what) {
      return new JsonException(what + " at offset " + pos);
    }

    void skipWhitespace() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        pos++;
      }
    }

    Object value(int depth) throws JsonException {
      if (depth > MAX_DEPTH) {
        throw error("nesting deeper than " + MAX_DEPTH);
      }
      skipWhitespace();
      if (atEnd()) {
        throw error("unexpected end of input");
      }
      char c = text.charAt(pos);
      switch (c) {
        case '{':
          return object(depth);
        case '[':
          return array(depth);
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", NULL);
        default:
          return number();
      }
    }

    private Object literal(String word, Object value) throws JsonException {
      if (!text.startsWith(word, pos)) {
        throw error("unexpected character");
      }
      pos += word.length();
      return value;
    }

    private Map<String, Object> object(int depth) throws JsonException {
      Map<String, Object> result = new LinkedHashMap<>();
      pos++; // '{'
      skipWhitespace();
      if (peek() == '}') {
        pos++;
        return result;
      }
      while (true) {
        skipWhitespace();
        if (peek() != '"') {
          throw error("expected a member name");
        }
        String key = string();
        skipWhitespace();
        expect(':');
        result.put(key, value(depth + 1));
        skipWhitespace();
        char c = next();
        if (c == '}') {
          return result;
        }
        if (c != ',') {
          throw error("expected ',' or '}'");
        }
      }
    }

    private List<Object> array(int depth) throws JsonException {
      List<Object> result = new ArrayList<>();
      pos++; // '['
      skipWhitespace();
      if (peek() == ']') {
        pos++;
        return result;
      }
      while (true) {
        result.add(value(depth + 1));
        skipWhitespace();
        char c = next();
        if (c == ']') {
          return result;
        }
        if (c != ',') {
          throw error("expected ',' or ']'");
        }
      }
    }

    private String string() throws JsonException {
      pos++; // opening quote
      StringBuilder out = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return out.toString();
        }
        if (c < 0x20) {
          throw error("control character in string");
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"': out.append('"'); break;
          case '\\': out.append('\\'); break;
          case '/': out.append('/'); break;
          case 'b': out.append('\b'); break;
          case 'f': out.append('\f'); break;
          case 'n': out.append('\n'); break;
          case 'r': out.append('\r'); break;
          case 't': out.append('\t'); break;
          case 'u': out.append(unicodeEscape()); break;
          default: throw error("bad escape");
        }
      }
    }

    private char unicodeEscape() throws JsonException {
      if (pos + 4 > text.length()) {
        throw error("short \\u escape");
      }
      try {
        char c = (char) Integer.parseInt(text.substring(pos, pos + 4), 16);
        pos += 4;
        return c;
      } catch (NumberFormatException e) {
        throw error("bad \\u escape");
      }
    }

    private BigDecimal number() throws JsonException {
      int start = pos;
      while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
        pos++;
      }
      if (start == pos) {
        throw error("unexpected character");
      }
      try {
        return new BigDecimal(text.substring(start, pos));
      } catch (NumberFormatException e) {
        throw error("bad number");
      }
    }

    private char peek() throws JsonException {
      if (atEnd()) {
        throw error("unexpected end of input");
      }
      return text.charAt(pos);
    }

    private char next() throws JsonException {
      char c = peek();
      pos++;
      return c;
    }

    private void expect(char c) throws JsonException {
      if (next() != c) {
        throw error("expected '" + c + "'");
      }
    }
  }

  /** Serializer. Stateless. */
  private static final class Writer {
    static void value(StringBuilder out, Object value) {
      if (value == null || value == NULL) {
        out.append("null");
      } else if (value instanceof String) {
        string(out, (String) value);
      } else if (value instanceof BigDecimal) {
        out.append(((BigDecimal) value).toString());
      } else if (value instanceof Number || value instanceof Boolean) {
        out.append(value);
      } else if (value instanceof Map) {
        object(out, (Map<?, ?>) value);
      } else if (value instanceof List) {
        array(out, (List<?>) value);
      } else {
        throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
      }
    }

    private static void object(StringBuilder out, Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(out, String.valueOf(e.getKey()));
        out.append(':');
        value(out, e.getValue());
      }
      out.append('}');
    }

    private static void array(StringBuilder out, List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        value(out, list.get(i));
      }
      out.append(']');
    }

    private static void string(StringBuilder out, String s) {
      out.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '"' || c == '\\') {
          out.append('\\').append(c);
        } else if (c < 0x20) {
          out.append(String.format("\\u%04x", (int) c));
        } else {
          out.append(c);
        }
      }
      out.append('"');
    }
  }
}
