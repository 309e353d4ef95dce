package dev.shopmesh.platform.db;

import dev.shopmesh.platform.boot.StartRetries;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.log.Logs;
import dev.shopmesh.platform.rpc.RpcSettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.impl.JDBCPoolImpl;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import javax.net.ssl.SSLException;

/**
 * A service's database, as one Vert.x {@link Pool} whichever engine is behind it, so that stores
 * have one set of SQL ({@link Sql} renders the placeholders each driver wants; {@link #execute} runs it).
 * <ul>
 *   <li>{@code SHOPMESH_DB_URL} unset: embedded SQLite in a file per service under
 *   {@code SHOPMESH_DATA_DIR}; nothing to install (the driver carries the native library).</li>
 *   <li>{@code SHOPMESH_DB_URL=postgresql://user:pass@host:5432/db}: PostgreSQL through the
 *   reactive client.</li>
 * </ul>
 */
public final class Database {

  private static final Logger LOG = Logs.logger("db");

  /**
   * How long a writer waits for another process's transaction on the same file to end: well inside
   * the default 5 s deadline, so a request held up by a lock fails 503 while its client still
   * listens; at 10 s the one connection sat waiting past every deadline, and failed to nobody.
   */
  static final int LOCK_WAIT_MILLIS = 2_000;

  /** The PostgreSQL advisory lock that schema migrations hold (any number unique to shopmesh). */
  static final long MIGRATION_LOCK = 0x5403_E5E1L;

  private final Vertx vertx;
  private final Pool pool;
  private final boolean embedded;
  private final String service;
  /** Where the database is, for messages: never the URL itself, which may hold a password. */
  private final String location;
  /** How long a statement waits for a connection. */
  private final int waitMillis;
  /** PostgreSQL's address, which {@link #migrate} first checks answers; null for the embedded store. */
  private final PgConnectOptions firstContact;
  /** When the database last refused a write for want of space ({@link #lastFullMillis}). */
  private volatile long lastFull;
  /** When a statement last had its answer ({@link #lastAnsweredMillis}). */
  private volatile long lastAnswered;

  private Database(Vertx vertx, Pool pool, String service, String location, int waitMillis, PgConnectOptions firstContact) {
    this.vertx = vertx;
    this.pool = pool;
    this.embedded = firstContact == null;
    this.service = service;
    this.location = location;
    this.waitMillis = waitMillis;
    this.firstContact = firstContact;
  }

  /** The least a statement waits for a connection, whatever the deadline; and how much sooner than the deadline it gives up. */
  static final int MIN_WAIT_MILLIS = 1_000;

  /** {@link #kindOf}: PostgreSQL's. */
  public static final String POSTGRESQL = "postgresql";
  /** {@link #kindOf}: the embedded store's. */
  public static final String EMBEDDED = "embedded";

  /**
   * The kind of store {@code config} gives a service, {@link #POSTGRESQL} or {@link #EMBEDDED}, as
   * its replicas publish it to compare ({@code MeshVerticle}). The kind, not the address: one
   * PostgreSQL answers under several hosts and ports (a mapped port, a pooler) and one directory under
   * several paths (a bind mount), and a replica refused for those would be refused wrongly.
   */
  public static String kindOf(Config config) {
    return postgres(config.get("DB_URL", "")) ? POSTGRESQL : EMBEDDED;
  }

  /** A store of {@code kind} in words, naming the setting that chooses it. */
  public static String describeKind(String kind) {
    return POSTGRESQL.equals(kind) ? "PostgreSQL (SHOPMESH_DB_URL)" : "an embedded store (SHOPMESH_DATA_DIR)";
  }

  private static boolean postgres(String url) {
    return url.startsWith("postgresql://") || url.startsWith("postgres://");
  }

  public static Database open(Vertx vertx, Config config, String service) {
    String url = config.get("DB_URL", "");
    if (!url.isEmpty() && !postgres(url) && !url.startsWith("jdbc:sqlite:")) {
      // A mistyped URL (pg://…) ran on the embedded store without a word; another database's JDBC
      // URL (jdbc:mysql:…) failed as "No suitable driver" for the embedded store; postgresl://…
      // failed as the driver's "Cannot parse invalid connection URI", the password in it.
      throw new IllegalArgumentException("SHOPMESH_DB_URL must be a postgresql://… or jdbc:sqlite:… URL, or unset for the"
        + " embedded store; got '" + Config.withoutPassword(url) + "'");
    }
    // A statement waits for a connection a second short of a call's deadline (Vert.x's default is
    // 30 s): with the database frozen, its caller is told 503 "the database is unavailable" within
    // its deadline, not 504 "did not answer" by its own deadline first (under a 2 s deadline the
    // wait may outlast it), and a start on a frozen database ends. At least a second: Vert.x
    // 5.0.7's pool loses the first statement when its first connection takes longer than the wait
    // ("Promise already completed"), and the start then hangs until its 60 s bound.
    long deadline = RpcSettings.from(config).deadlineMillis();
    int waitMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_WAIT_MILLIS, deadline - MIN_WAIT_MILLIS));
    if (postgres(url)) {
      PoolOptions pool = new PoolOptions().setMaxSize(config.getInt("DB_POOL_SIZE", 8, 1))
        .setConnectionTimeout(waitMillis).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
      // Cached: PostgreSQL parses and plans each statement once per connection, not once per call.
      PgConnectOptions connect = withTimeLimits(withTls(pgOptions(url)), waitMillis).setCachePreparedStatements(true);
      return new Database(vertx, PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build(), service,
        "PostgreSQL at " + connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase() + " (SHOPMESH_DB_URL)",
        waitMillis, connect);
    }
    // One connection per file and process, shared by the replicas a process runs: SQLite has one
    // writer at a time, and Vert.x 5.0.7 runs the JDBC statements of a verticle one after another on
    // its worker queue, so a second connection waiting for the write lock would hold up the
    // statements of the transaction it waits for.
    // A file of the user's choosing gets the default store's settings too: it ran in rollback-journal
    // mode and waited 3 s for a lock. (Its library is the driver's own, unpacked into the temporary
    // directory: the data directory may be of no use to it.)
    String jdbcUrl = url.startsWith("jdbc:sqlite:") ? withEmbeddedSettings(url) : embeddedUrl(dataDir(config), service);
    PoolOptions pool = new PoolOptions().setMaxSize(1).setShared(true).setName(jdbcUrl)
      .setConnectionTimeout(waitMillis).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
    // Without generated keys (the stores choose their ids), and each parameter bound as it is.
    JDBCConnectOptions connect = new JDBCConnectOptions().setJdbcUrl(jdbcUrl).setAutoGeneratedKeys(false)
      .setExtraConfig(new JsonObject().put("encoderCls", PlainValues.class.getName()));
    // JDBCPool.pool with these options, but each connection reusing its prepared statements: the
    // public factory that takes a connection source (a DataSource) drops the options above.
    return new Database(vertx, JDBCPoolImpl.newPool(vertx, connect, pool,
      () -> ReusedStatements.wrap(DriverManager.getConnection(jdbcUrl))), service,
      "the embedded store " + jdbcUrl.replaceFirst("^jdbc:sqlite:", "").replaceFirst("\\?.*", "")
        // The setting that chose it: the default store is in the data directory.
        + (url.isEmpty() ? " (SHOPMESH_DATA_DIR)" : " (SHOPMESH_DB_URL)"), waitMillis, null);
  }

  /** The driver's reading of {@code url}; one it cannot read is refused naming the setting, not quoting its password. */
  private static PgConnectOptions pgOptions(String url) {
    try {
      return PgConnectOptions.fromUri(url);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("SHOPMESH_DB_URL is not a PostgreSQL URL the driver can read"
        + " (postgresql://user:password@host:5432/database): got '" + Config.withoutPassword(url) + "'");
    }
  }

  /**
   * A statement waits for a lock at most {@link #LOCK_WAIT_MILLIS}, as on the embedded store, then
   * fails UNAVAILABLE saying so. PostgreSQL waits for good by default: a reservation queued behind a
   * long catalog import, or a catalog listing behind a schema change, held its pooled connection
   * past its caller's deadline, answering nobody, and a listing relayed without a deadline held its
   * client as long. A statement runs at most {@code statementMillis} (a second short of the deadline,
   * as a connection is waited for), then is cancelled and fails UNAVAILABLE saying so: PostgreSQL lets
   * it run for good, and one slowed by a missing index or a bloated table held its connection, and
   * the row locks it took, long after its caller had gone. A URL whose {@code options} set either
   * keeps its own. The driver's own settings (UTF-8, ISO dates) are kept too: a URL with
   * {@code options}, {@code application_name} or {@code search_path} replaced them all in Vert.x 5.0.7.
   */
  static PgConnectOptions withTimeLimits(PgConnectOptions connect, int statementMillis) {
    Map<String, String> properties = new HashMap<>(PgConnectOptions.DEFAULT_PROPERTIES);
    properties.putAll(connect.getProperties());
    String options = properties.getOrDefault("options", "");
    if (!options.contains("lock_timeout")) {
      properties.put("lock_timeout", Integer.toString(LOCK_WAIT_MILLIS));
    }
    if (!options.contains("statement_timeout")) {
      properties.put("statement_timeout", Integer.toString(statementMillis));
    }
    return connect.setProperties(properties);
  }

  /**
   * The URL's {@code sslmode}, as libpq reads it: {@code allow}, {@code prefer} and {@code require}
   * encrypt without checking the server's certificate. Vert.x wants that said; without it the first
   * connection failed on a NullPointerException.
   */
  static PgConnectOptions withTls(PgConnectOptions connect) {
    return switch (connect.getSslMode()) {
      case DISABLE -> connect;
      case ALLOW, PREFER, REQUIRE -> connect.getSslOptions() != null ? connect
        : connect.setSslOptions(new ClientSSLOptions().setTrustAll(true));
      default -> throw new IllegalArgumentException("SHOPMESH_DB_URL: sslmode=" + connect.getSslMode().value
        + " checks the server's certificate against a CA that shopmesh cannot be given; sslmode=require"
        + " encrypts without that check");
    };
  }

  /**
   * SQLite in write-ahead-log mode, one file per service. A commit is appended to the log before it
   * returns, so an acknowledged order survives {@code kill -9} (synchronous=NORMAL leaves the fsync
   * to checkpoints: a power cut may lose the last commits, a process crash cannot). Replicas in
   * separate processes share the file, a writer waiting up to {@link #LOCK_WAIT_MILLIS} for another.
   * H2, the default before, lost acknowledged commits to {@code kill -9} once it began reusing file
   * space (see EmbeddedDurabilityTest).
   */
  static String embeddedUrl(Path dataDir, String service) {
    return withEmbeddedSettings("jdbc:sqlite:" + dataDir.toAbsolutePath().resolve(service + ".db"));
  }

  /**
   * The embedded store's settings, each added to an SQLite {@code url} unless it sets that one itself.
   * jdbc.get_generated_keys=false: otherwise the driver matches every statement against a regular
   * expression and runs "SELECT last_insert_rowid()" after each insert; the stores choose their ids.
   */
  static String withEmbeddedSettings(String url) {
    int query = url.indexOf('?');
    // As the driver reads them: JOURNAL_MODE=delete is journal_mode's.
    Set<String> given = query < 0 ? Set.of() : Arrays.stream(url.substring(query + 1).split("&"))
      .map(p -> p.split("=", 2)[0].trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    StringBuilder out = new StringBuilder(url);
    Map.of("journal_mode", "WAL", "synchronous", "NORMAL", "busy_timeout", Integer.toString(LOCK_WAIT_MILLIS),
        "jdbc.get_generated_keys", "false").entrySet().stream()
      .filter(setting -> !given.contains(setting.getKey()))
      .sorted(Map.Entry.comparingByKey())
      .forEach(setting -> out.append(out.indexOf("?") < 0 ? '?' : '&').append(setting.getKey()).append('=').append(setting.getValue()));
    return out.toString();
  }

  /** The embedded databases' directory, created if missing (once, at start), with SQLite's library in it. */
  private static Path dataDir(Config config) {
    Path dir = config.dataDir();
    try {
      Files.createDirectories(dir);
      SqliteLibrary.shareFrom(dir);
      return dir;
    } catch (IOException e) {
      // The operator's to fix: said as a setting is, without a stack.
      throw new IllegalArgumentException("SHOPMESH_DATA_DIR (--data-dir): cannot create the data directory " + dir.toAbsolutePath()
        + ": " + (e instanceof FileAlreadyExistsException ? "a file is in the way"
        : e instanceof AccessDeniedException ? "permission denied"
        : e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : String.valueOf(e.getMessage())));
    }
  }

  public Pool pool() {
    return pool;
  }

  /** How to reach PostgreSQL, for a connection of one's own outside the pool ({@code LISTEN}); null on the embedded store. */
  public PgConnectOptions postgresOptions() {
    return firstContact;
  }

  /** Whether this is the embedded store (SQLite) rather than PostgreSQL, for the few statements that differ. */
  public boolean embedded() {
    return embedded;
  }

  /** Runs {@code sql} with {@code params} on {@code client}: the pool, or a transaction's connection. */
  public Future<RowSet<Row>> execute(Sql sql, SqlClient client, Map<String, Object> params) {
    return client.preparedQuery(sql.text(!embedded)).execute(sql.tuple(!embedded, params)).onSuccess(this::noteAnswered)
      .onFailure(this::noteFull).recover(Database::unavailable);
  }

  /** What a statement cut off by this replica's pool closing fails with. */
  public static final String STOPPING = "the database is unavailable: this replica is stopping";

  /**
   * Whether a statement failed in a way another try soon may not: this replica stopping (its pool
   * closed for good), or no connection free within the wait (the pool full: a try more adds to it).
   */
  public static boolean worthNoRetry(Throwable err) {
    for (Throwable e = err; e != null; e = e.getCause()) {
      if (STOPPING.equals(e.getMessage()) || DatabaseOutage.noConnectionInTime(e)) {
        return true;
      }
    }
    return false;
  }

  /** What Vert.x 5.0.7 says to a statement when its pool closes: before and after it was queued. */
  private static final Set<String> POOL_CLOSED = Set.of("Client is closed", "Pool closed");

  /**
   * A statement cut off from the database, as UNAVAILABLE saying so: by this service's pool closing
   * as it stops (as INTERNAL, it was logged with a stack, as a bug; said here, where it can only be
   * the database's pool: Vert.x's HTTP and TCP clients say the same when they close), or by a
   * connection to PostgreSQL refused or broken (stopped, restarting): clients read "a dependency is
   * unavailable", naming neither the database nor the service whose database it was.
   */
  private static <T> Future<T> unavailable(Throwable err) {
    if (err instanceof Failure) {
      return Future.failedFuture(err);
    }
    if (err.getMessage() != null && POOL_CLOSED.contains(err.getMessage())) {
      return Future.failedFuture(new Failure(Failure.Kind.UNAVAILABLE, STOPPING, err));
    }
    for (Throwable e = err; e != null; e = e.getCause()) {
      if (e instanceof SSLException) {
        break; // TLS refused or mismatched: not an outage, and its own words say more
      }
      if (e instanceof ConnectException || e instanceof NoRouteToHostException || e instanceof UnknownHostException) {
        return Future.failedFuture(new Failure(Failure.Kind.UNAVAILABLE, "the database is unavailable: no connection to it", err));
      }
      if (e instanceof IOException) {
        return Future.failedFuture(new Failure(Failure.Kind.UNAVAILABLE, "the database is unavailable: the connection to it broke", err));
      }
    }
    return Future.failedFuture(err);
  }

  /** When (System.currentTimeMillis) the database last refused a write for want of space; 0 if never. */
  public long lastFullMillis() {
    return lastFull;
  }

  /**
   * When (System.currentTimeMillis) a statement last had its answer; 0 if none has. Readiness reads
   * this ({@link DatabaseReadiness}): a database that answers the statements ahead of its look is
   * busy, not silent.
   */
  public long lastAnsweredMillis() {
    return lastAnswered;
  }

  private void noteAnswered(Object answer) {
    lastAnswered = System.currentTimeMillis();
  }

  /** Readiness reads this ({@link DatabaseReadiness}): its own look only reads, which a full disk still serves. */
  private void noteFull(Throwable err) {
    if (DatabaseOutage.isFull(err)) {
      lastFull = System.currentTimeMillis();
    }
  }

  /**
   * Runs {@code work} in one transaction: committed if its future succeeds, rolled back if it fails.
   * On the embedded store the transaction takes the write lock when it begins (BEGIN IMMEDIATE), so
   * two replicas never deadlock upgrading a read to a write; Vert.x's own JDBC transactions would
   * also leave the connection out of auto-commit afterwards (5.0.7 sets it back to false), which
   * with SQLite keeps a transaction open on the idle connection.
   */
  public <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return inTransactionAsIs(work).onSuccess(this::noteAnswered).onFailure(this::noteFull).recover(Database::unavailable);
  }

  /**
   * As {@link #inTransaction}, its statements waiting for locks, and running, as long as they must,
   * not the lock wait and statement bound: for work replicas starting together each do, one after
   * another (the schema, a first seed), where a replica failing its start for another's doing the
   * same, or for an index taking long to build, is wrong however long that takes. (On PostgreSQL;
   * the embedded store's writers queue for the file's one lock.)
   */
  public <T> Future<T> inTransactionWaitingForLocks(Function<SqlConnection, Future<T>> work) {
    return inTransaction(conn -> (embedded ? Future.succeededFuture()
      : conn.query("SET LOCAL lock_timeout = 0; SET LOCAL statement_timeout = 0").execute()).compose(unbounded -> work.apply(conn)));
  }

  private <T> Future<T> inTransactionAsIs(Function<SqlConnection, Future<T>> work) {
    if (!embedded) {
      return pool.withTransaction(work);
    }
    // A failure anywhere, a throw from work or a failed COMMIT included (SQLite keeps the transaction
    // open then), rolls back before the connection is reused: the connection is shared, and
    // statements run on it outside a transaction would otherwise join the open one and be lost.
    return pool.withConnection(conn -> conn.query("BEGIN IMMEDIATE").execute()
      .compose(begun -> work.apply(conn))
      .compose(result -> conn.query("COMMIT").execute().map(result))
      .recover(failure -> conn.query("ROLLBACK").execute().transform(rolledBack -> Future.failedFuture(failure))));
  }

  /**
   * Runs the (idempotent, {@code IF NOT EXISTS}) schema statements in order, in one transaction that
   * replicas starting together take one at a time: PostgreSQL's {@code CREATE TABLE IF NOT EXISTS}
   * is not safe against itself (two replicas race on the catalog's unique index, 23505), so the
   * transaction first takes an advisory lock; on the embedded store BEGIN IMMEDIATE does the same.
   * A service's start runs this first, so its failure says which service and database, and that
   * SHOPMESH_DB_URL names the database.
   */
  public Future<Void> migrate(List<String> statements) {
    // One attempt waits for an answer, then for a connection.
    return new StartRetries(vertx, LOG, waitMillis, 2, Database::notThereYet, this::describe, "")
      .run(service + "'s database, " + location, () -> migrateOnce(statements))
      .recover(err -> Future.failedFuture(new Failure(Failure.Kind.UNAVAILABLE,
        service + " cannot set up its database, " + location + ": " + describe(err), err)));
  }

  /** PostgreSQL's too_many_connections, admin_shutdown, crash_shutdown and cannot_connect_now. */
  private static final Set<String> NOT_THERE_YET = Set.of("53300", "57P01", "57P02", "57P03");

  /**
   * Whether a start's database may be there soon: not answering, refusing connections, not resolving
   * yet (a container's name), broken off (SQLSTATE class 08), out of connections (53300), shutting
   * down or starting up (57P01 to 57P03). Not a refused login, a missing database or a full disk:
   * said at once, not after half a minute.
   */
  static boolean notThereYet(Throwable err) {
    for (Throwable e = err; e != null; e = e.getCause()) {
      if (e instanceof DatabaseException db) {
        String state = String.valueOf(db.getSqlState());
        return state.startsWith("08") || NOT_THERE_YET.contains(state);
      }
      if (e instanceof NotAnswering || e instanceof ConnectException || e instanceof NoRouteToHostException
        || e instanceof UnknownHostException || e instanceof ClosedConnectionException || DatabaseOutage.noConnectionInTime(e)) {
        return true;
      }
    }
    return false;
  }

  private Future<Void> migrateOnce(List<String> statements) {
    return answers().compose(answered -> inTransactionWaitingForLocks(conn -> {
      // The lock, and no "already exists, skipping" notice logged for every table at every start.
      Future<Void> chain = embedded ? Future.succeededFuture()
        : conn.query("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")").execute()
          .compose(locked -> conn.query("SET LOCAL client_min_messages = warning").execute()).mapEmpty();
      for (String sql : statements) {
        chain = chain.compose(v -> conn.query(sql).execute().mapEmpty());
      }
      return chain;
    }));
  }

  /**
   * Whether PostgreSQL answers at all, within the wait a statement gets, before the pool is asked for
   * a connection. One that accepts connections and never answers (frozen, or stopped behind a proxy)
   * left the pool connecting when the start failed; Vert.x closes a failed deployment's pool, the
   * close waited for that connection, and so did the deployment: the process neither served nor
   * exited. This asks on a socket of its own, closed when the answer or the wait ends, with the first
   * message of PostgreSQL's protocol that any server answers before a login: whether it speaks TLS.
   */
  private Future<Void> answers() {
    if (firstContact == null || firstContact.isUsingDomainSocket()) {
      return Future.succeededFuture();
    }
    NetClient probe = vertx.createNetClient(new NetClientOptions().setConnectTimeout(waitMillis));
    Promise<Void> answered = Promise.promise();
    long timer = vertx.setTimer(waitMillis, id -> answered.tryFail(new NotAnswering("no answer within " + waitMillis + " ms")));
    probe.connect(firstContact.getPort(), firstContact.getHost()).onComplete(connected -> {
      if (connected.failed()) {
        answered.tryFail(connected.cause());
        return;
      }
      NetSocket socket = connected.result();
      socket.handler(reply -> answered.tryComplete());
      socket.closeHandler(closed -> answered.tryFail(new NotAnswering("the connection closed unanswered")));
      // PostgreSQL's SSLRequest: length 8, code 80877103; the server answers one byte, 'S' or 'N'.
      socket.write(Buffer.buffer().appendInt(8).appendInt(80877103));
    });
    return answered.future().eventually(() -> {
      vertx.cancelTimer(timer);
      return probe.close();
    });
  }

  /** PostgreSQL did not answer the first message of its protocol ({@link #answers}). */
  static final class NotAnswering extends IllegalStateException {
    NotAnswering(String message) {
      super(message);
    }
  }

  /** A failure's message, the pool's terse timeouts spelt out. */
  private String describe(Throwable err) {
    return DatabaseOutage.noConnectionInTime(err) ? "no connection within " + waitMillis + " ms" : String.valueOf(err.getMessage());
  }

  /**
   * Whether the database answers a statement: true, or false when it refuses it; failed when the
   * statement found no connection free in time, which says the connections are busy, not that the
   * database refuses (on the embedded store the look waits behind every statement queued on its one
   * connection, and under a burst of catalog reads it waited past the pool's limit).
   */
  public Future<Boolean> reachable() {
    return pool.query("SELECT 1").execute().onSuccess(this::noteAnswered).map(rows -> true)
      .recover(err -> DatabaseOutage.noConnectionInTime(err) ? Future.failedFuture(err) : Future.succeededFuture(false));
  }

  public Future<Void> close() {
    return pool.close();
  }
}
