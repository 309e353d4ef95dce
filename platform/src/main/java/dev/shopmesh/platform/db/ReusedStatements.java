package dev.shopmesh.platform.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A JDBC connection that prepares each SQL text once and hands the same statement out again.
 * Vert.x 5.0.7's JDBC client prepares and closes a statement on every call, and SQLite parses and
 * plans it each time: 10 % of the mesh's CPU under order load went to {@code prepareStatement}.
 * The stores' SQL is a fixed set of texts, so what this keeps is bounded by the code, not the data.
 * <p>
 * A statement is out while a caller holds it and back once the caller closes it (its parameters
 * cleared); a caller asking for a text whose statement is out gets a statement of its own, closed
 * for real when a second one comes back. A statement any call on which failed is closed, not kept:
 * SQLite leaves one that failed mid-execution (a full disk) unusable, and kept, it failed every
 * later use with "statement is not executing" until the process restarted. Closing the connection closes what it kept. Only
 * {@code prepareStatement(String)} is reused; every other call goes to the driver as it is.
 */
final class ReusedStatements implements InvocationHandler {

  private final Connection connection;
  private final Map<String, PreparedStatement> idle = new ConcurrentHashMap<>();

  private ReusedStatements(Connection connection) {
    this.connection = connection;
  }

  static Connection wrap(Connection connection) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
      new ReusedStatements(connection));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("prepareStatement") && args.length == 1) {
      return lend((String) args[0]);
    }
    if (method.getName().equals("close")) {
      closeIdle();
    }
    return call(connection, method, args);
  }

  private PreparedStatement lend(String sql) throws SQLException {
    PreparedStatement statement = idle.remove(sql);
    Lent lent = new Lent(sql, statement != null ? statement : connection.prepareStatement(sql));
    return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
      new Class<?>[]{PreparedStatement.class}, lent);
  }

  /** One loan of a statement: its close gives the statement back, once. */
  private final class Lent implements InvocationHandler {

    private final String sql;
    private final PreparedStatement statement;
    private boolean returned;
    private boolean failed;

    Lent(String sql, PreparedStatement statement) {
      this.sql = sql;
      this.statement = statement;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (args == null && method.getName().equals("close")) {
        giveBack();
        return null;
      }
      if (args == null && method.getName().equals("isClosed")) {
        return returned || statement.isClosed();
      }
      if (returned) {
        throw new SQLException("statement used after close: " + sql);
      }
      try {
        return call(statement, method, args);
      } catch (Throwable e) {
        failed = true;
        throw e;
      }
    }

    private void giveBack() throws SQLException {
      if (returned) {
        return;
      }
      returned = true;
      if (!failed && idle.putIfAbsent(sql, statement) == null) {
        statement.clearParameters();
      } else {
        statement.close();
      }
    }
  }

  private void closeIdle() throws SQLException {
    for (PreparedStatement statement : idle.values()) {
      statement.close();
    }
    idle.clear();
  }

  /** Calls the driver's own object, throwing what it throws rather than a reflection wrapper. */
  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
