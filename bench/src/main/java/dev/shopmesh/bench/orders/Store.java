package dev.shopmesh.bench.orders;

/**
 * The database behind the mesh the orders go to: embedded SQLite (one file per service in a fresh
 * temporary directory, as {@code ./shopmesh up} has it), or PostgreSQL at a URL (all four services
 * in that one database).
 *
 * @param dbUrl the mesh's {@code SHOPMESH_DB_URL}; null for embedded
 */
public record Store(String name, String dbUrl) {

  public static final Store EMBEDDED = new Store("embedded", null);

  public static Store postgres(String url) {
    if (!url.startsWith("postgres")) {
      throw new IllegalArgumentException("--postgres wants a URL such as postgresql://user:password@127.0.0.1:5432/db, got '"
        + redact(url) + "'");
    }
    return new Store("postgres", url);
  }

  /** What the report says: the engine, and for PostgreSQL its URL without the password. */
  public String describe() {
    return dbUrl == null ? "embedded SQLite, a file per service" : "PostgreSQL " + redact(dbUrl);
  }

  /** The URL with any password replaced by {@code ***}. */
  static String redact(String url) {
    return url.replaceFirst("^([a-z]+://[^:/@]+:)[^@]*@", "$1***@");
  }
}
