package dev.shopmesh.platform.db;

import io.vertx.core.VertxException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

import java.sql.SQLException;
import java.util.Set;

/**
 * Whether a failure is the database out of reach (down, restarting, full, locked by another
 * process, refusing our password) rather than a bug: a caller answers it UNAVAILABLE, which clients
 * retry. Before, these read as internal errors (500, logged with a stack per request, never
 * retried), and three orders of a PostgreSQL restart stayed PENDING until the sweep.
 */
public final class DatabaseOutage {

  /**
   * PostgreSQL's SQLSTATE classes of a server that cannot serve now: connection exception (08),
   * invalid authorization (28: a password changed under a running service), insufficient resources
   * (53: disk full, too many connections), operator intervention (57: shutting down, starting up),
   * system error (58: I/O).
   */
  private static final Set<String> SQLSTATE_CLASSES = Set.of("08", "28", "53", "57", "58");

  /** SQLite's primary result codes of the same: BUSY, LOCKED, READONLY, IOERR, FULL, CANTOPEN. */
  private static final Set<Integer> SQLITE_CODES = Set.of(5, 6, 8, 10, 13, 14);

  private DatabaseOutage() {
  }

  /**
   * Whether a failure is the database rolling a transaction back for its conflict with another (a
   * deadlock, a serialization failure: SQLSTATE class 40). Nothing was written, and the same request
   * may well succeed sent again: not a bug, and not the service failing (as INTERNAL, it counted
   * against the service's circuit and was logged with its stack).
   */
  public static boolean isConflict(Throwable err) {
    for (Throwable e = err; e != null; e = e.getCause()) {
      if (e instanceof DatabaseException db) {
        return db.getSqlState() != null && db.getSqlState().startsWith("40");
      }
    }
    return false;
  }

  /**
   * Whether a failure is the database out of space for a write: SQLite's FULL (its answer to a
   * disk with no space left), PostgreSQL's disk_full (53100). Other I/O errors are left out: they
   * are not the disk filling up, and a replica is not taken out of service for them.
   */
  public static boolean isFull(Throwable err) {
    for (Throwable e = err; e != null; e = e.getCause()) {
      if (e instanceof DatabaseException db) {
        return "53100".equals(db.getSqlState());
      }
      if (e instanceof SQLException sql && sql.getClass().getName().equals("org.sqlite.SQLiteException")) {
        return sql.getErrorCode() == SQLITE_FULL;
      }
    }
    return false;
  }

  private static final int SQLITE_FULL = 13;

  /** PostgreSQL's lock_not_available: {@code lock_timeout} ran out (class 55 is otherwise a bug of ours). */
  private static final String LOCK_NOT_AVAILABLE = "55P03";
  private static final int SQLITE_BUSY = 5;

  /**
   * Whether a statement waited for a lock another transaction held longer than statements wait
   * ({@code Database.LOCK_WAIT_MILLIS}, on either store): the database is there, busy with that
   * transaction, and the caller is told so rather than "unavailable" alone.
   */
  public static boolean isLockWait(Throwable err) {
    for (Throwable e = err; e != null; e = e.getCause()) {
      if (e instanceof DatabaseException db) {
        return LOCK_NOT_AVAILABLE.equals(db.getSqlState());
      }
      if (e instanceof SQLException sql && sql.getClass().getName().equals("org.sqlite.SQLiteException")) {
        return sql.getErrorCode() == SQLITE_BUSY;
      }
    }
    return false;
  }

  /** PostgreSQL's query_canceled: {@code statement_timeout} ran out, or an operator cancelled the statement. */
  private static final String QUERY_CANCELED = "57014";

  /**
   * Whether PostgreSQL cancelled a statement that ran longer than statements may (the pool's
   * {@code statement_timeout}, a second short of the deadline): the database is there, too slow for
   * this statement, and the caller is told so rather than "unavailable" alone.
   */
  public static boolean isStatementTimeout(Throwable err) {
    for (Throwable e = err; e != null; e = e.getCause()) {
      if (e instanceof DatabaseException db) {
        return QUERY_CANCELED.equals(db.getSqlState());
      }
    }
    return false;
  }

  /** What a caller is told of {@link #isStatementTimeout}. */
  public static final String STATEMENT_TIMEOUT = "the database is unavailable: a statement ran longer than statements may"
    + " (statement_timeout) and was cancelled";

  /** What a caller is told of {@link #isLockWait}. */
  public static final String LOCK_WAIT = "the database is unavailable: what the request needed stayed locked by another"
    + " transaction longer than " + Database.LOCK_WAIT_MILLIS + " ms";

  public static boolean is(Throwable err) {
    for (Throwable e = err; e != null; e = e.getCause()) {
      if (e instanceof ClosedConnectionException) {
        return true;
      }
      if (e instanceof DatabaseException db) {
        return db.getSqlState() != null && db.getSqlState().length() == 5
          && (SQLSTATE_CLASSES.contains(db.getSqlState().substring(0, 2)) || LOCK_NOT_AVAILABLE.equals(db.getSqlState()));
      }
      if (e instanceof SQLException sql && sql.getClass().getName().equals("org.sqlite.SQLiteException")) {
        return SQLITE_CODES.contains(sql.getErrorCode());
      }
      if (noConnectionInTime(e)) {
        return true;
      }

    }
    return false;
  }

  /**
   * What Vert.x 5.0.7's SQL pool says when no connection frees up within its wait: to a statement
   * run on the pool, and (bare "Timeout") to a transaction or a connection asked for.
   */
  public static boolean noConnectionInTime(Throwable err) {
    return err instanceof VertxException
      && ("Timeout waiting for connection".equals(err.getMessage()) || "Timeout".equals(err.getMessage()));
  }
}
