package dev.shopmesh.platform.config;

import dev.shopmesh.platform.error.Misspelling;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A service's configuration, read once at start: environment variables overridden by command-line
 * flags. A flag {@code --grpc-port=9000} (or {@code --grpc-port 9000}) sets {@code SHOPMESH_GRPC_PORT}.
 * Every key, its default and its meaning are listed in the README's configuration table.
 */
public final class Config {

  public static final String PREFIX = "SHOPMESH_";

  private final Map<String, String> values;
  /**
   * The keys given as flags, those from the environment, and the keys read so far, shared with
   * every copy {@link #with} makes.
   */
  private final Set<String> flags;
  private final Set<String> environment;
  private final Set<String> read;

  private Config(Map<String, String> values, Set<String> flags, Set<String> environment, Set<String> read) {
    this.values = Map.copyOf(values);
    this.flags = flags;
    this.environment = environment;
    this.read = read;
  }

  private Config(Map<String, String> values) {
    this(values, Set.of(), Set.of(), ConcurrentHashMap.newKeySet());
  }

  /** The process environment, then {@code --flags} from {@code args} on top. */
  public static Config load(String[] args) {
    return load(System.getenv(), args);
  }

  /** The {@code SHOPMESH_*} entries of {@code environment}, then {@code --flags} from {@code args} on top. */
  public static Config load(Map<String, String> environment, String[] args) {
    Map<String, String> values = new HashMap<>();
    environment.forEach((k, v) -> {
      if (k.startsWith(PREFIX)) {
        values.put(k, v);
      }
    });
    Set<String> fromEnvironment = Set.copyOf(values.keySet());
    Map<String, String> flags = parseFlags(args);
    values.putAll(flags);
    return new Config(values, Set.copyOf(flags.keySet()), fromEnvironment, ConcurrentHashMap.newKeySet());
  }

  public static Config of(Map<String, String> values) {
    return new Config(values);
  }

  /** Flags as configuration keys; an argument that is not a flag is an error naming it. */
  static Map<String, String> parseFlags(String[] args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "': flags look like --name=value (--help lists them)");
      }
      String body = arg.substring(2);
      int eq = body.indexOf('=');
      String name;
      String value;
      if (eq >= 0) {
        name = body.substring(0, eq);
        value = body.substring(eq + 1);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        name = body;
        value = args[++i];
      } else {
        throw new IllegalArgumentException("flag --" + body + " needs a value (--help lists the settings)");
      }
      flags.put(keyOf(name), value);
    }
    return flags;
  }

  /** {@code GRPC_PORT} as a flag: {@code --grpc-port}. */
  private static String flagOf(String key) {
    return "--" + key.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * A URL setting as it may be shown (SHOPMESH_DB_URL, SHOPMESH_DISCOVERY): up to its last '@' it may
   * hold a password, whatever that looks like, and so may a {@code password=} in its query.
   */
  public static String withoutPassword(String url) {
    int at = url.lastIndexOf('@');
    int scheme = url.indexOf("://");
    // The scheme stays: "pg://" is the typo to see.
    String shown = at < 0 ? url : (scheme >= 0 && scheme < at ? url.substring(0, scheme + 3) : "") + "…" + url.substring(at);
    return shown.replaceAll("(?i)(password=)[^&]*", "$1…");
  }

  /** A setting's value refused, naming the setting as the user sets it: SHOPMESH_X (--x) and the problem. */
  public static IllegalArgumentException invalid(String key, String problem) {
    return new IllegalArgumentException(named(key) + " " + problem);
  }

  /** {@code GRPC_PORT} as messages name it, both spellings: {@code SHOPMESH_GRPC_PORT (--grpc-port)}. */
  private static String named(String key) {
    return PREFIX + key + " (" + flagOf(key) + ")";
  }

  /** {@code grpc-port} becomes {@code SHOPMESH_GRPC_PORT}. */
  public static String keyOf(String flagName) {
    return PREFIX + flagName.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** A copy with {@code key} set (keys are given without the prefix, e.g. {@code GRPC_PORT}). */
  public Config with(String key, String value) {
    Map<String, String> copy = new HashMap<>(values);
    copy.put(PREFIX + key, value);
    return new Config(copy, flags, environment, read);
  }

  /**
   * The flags given that nothing has read, as {@code --name}: asked once the service started (it
   * reads its settings while starting), they are typos or settings of another service.
   */
  public List<String> unreadFlags() {
    return flags.stream().filter(key -> !read.contains(key)).sorted()
      .map(key -> flagOf(key.substring(PREFIX.length()))).toList();
  }

  /**
   * The {@code SHOPMESH_*} variables of the environment that nothing has read, but for
   * {@code others}, the ones that tools other than the services read (docker compose's): asked
   * once every service of this configuration started, they are typos.
   */
  public List<String> unreadVariables(Set<String> others) {
    return environment.stream().filter(key -> !flags.contains(key) && !read.contains(key) && !others.contains(key))
      .sorted().toList();
  }

  /**
   * The {@code SHOPMESH_*} variables of the environment that nothing has read and that are within two
   * letters of a setting that was read: typos of it, whichever services read this configuration. A
   * single service cannot tell another service's setting from a typo, but a variable this near one
   * of its own is no other's (no two settings are nearer than HTTP_HOST and HTTP_PORT, both the
   * gateway's).
   */
  public List<String> misspeltVariables() {
    return unreadVariables(Set.of()).stream().filter(key -> Misspelling.of(key, read).isPresent()).toList();
  }

  /**
   * {@code unread}, a flag or variable {@link #unreadFlags} or {@link #unreadVariables} named, with
   * the setting read that it likely misspells, as it was given: "--grpc-prot (did you mean
   * --grpc-port?)". Said only "ignored", a typo left the user to find the right name in the README.
   */
  public String withGuess(String unread) {
    boolean flag = unread.startsWith("--");
    return Misspelling.of(flag ? keyOf(unread.substring(2)) : unread, read)
      .map(guess -> unread + " (did you mean " + (flag ? flagOf(guess.substring(PREFIX.length())) : guess) + "?)")
      .orElse(unread);
  }

  public Optional<String> find(String key) {
    read.add(PREFIX + key);
    String value = values.get(PREFIX + key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** Where the embedded store and the directory registry keep their files ({@code SHOPMESH_DATA_DIR}). */
  public Path dataDir() {
    return Path.of(get("DATA_DIR", "data"));
  }

  public String get(String key, String defaultValue) {
    return find(key).orElse(defaultValue);
  }

  /** A count or a duration: never negative (a negative size, delay or timeout is a typo). */
  public int getInt(String key, int defaultValue) {
    return getInt(key, defaultValue, 0);
  }

  /** At least {@code min}: 1 where a 0 would switch something off by accident (a deadline, a timer's period, a limit). */
  public int getInt(String key, int defaultValue, int min) {
    return (int) atLeast(key, anyInt(key, defaultValue), min);
  }

  private int anyInt(String key, int defaultValue) {
    return find(key).map(v -> {
      long value = parse(key, v);
      if (value != (int) value) {
        throw new IllegalArgumentException(named(key) + " is out of range, got " + value);
      }
      return (int) value;
    }).orElse(defaultValue);
  }

  /** A TCP port, 0 for any free one; out of range, an error naming the setting (Netty's own did not). */
  public int getPort(String key, int defaultValue) {
    int port = anyInt(key, defaultValue);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(named(key) + " must be a port, 0 to 65535 (0: any free one), got " + port);
    }
    return port;
  }

  /** As {@link #getInt(String, int)}. */
  public long getLong(String key, long defaultValue) {
    return getLong(key, defaultValue, 0);
  }

  /** As {@link #getInt(String, int, int)}. */
  public long getLong(String key, long defaultValue, long min) {
    return atLeast(key, find(key).map(v -> parse(key, v)).orElse(defaultValue), min);
  }

  /**
   * Stops the service naming the setting: a 0 deadline made every call fail while the service
   * reported itself healthy, and other values failed deep in Vert.x without naming theirs.
   */
  private long atLeast(String key, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(named(key) + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  private static long parse(String key, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(named(key) + " must be a whole number, got '" + value + "'");
    }
  }
}
