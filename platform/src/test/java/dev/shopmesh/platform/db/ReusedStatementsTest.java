package dev.shopmesh.platform.db;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReusedStatementsTest {

  private static final String ECHO = "SELECT ? + 0";

  /** Every statement the driver prepared, in order. */
  private final List<PreparedStatement> prepared = new ArrayList<>();
  private Connection connection;

  @BeforeEach
  void open() throws SQLException {
    connection = ReusedStatements.wrap(counting(DriverManager.getConnection("jdbc:sqlite::memory:")));
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
  }

  @Test
  void aTextIsPreparedOnceAndEachUseSeesItsOwnParameters() throws SQLException {
    for (int i = 1; i <= 3; i++) {
      try (PreparedStatement statement = connection.prepareStatement(ECHO)) {
        statement.setInt(1, i);
        assertEquals(i, single(statement));
      }
    }
    assertEquals(1, prepared.size());
  }

  @Test
  void aParameterLeftUnboundIsNotTheLastCallersValue() throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(ECHO)) {
      statement.setInt(1, 42);
      assertEquals(42, single(statement));
    }
    try (PreparedStatement statement = connection.prepareStatement(ECHO)) {
      assertEquals(0, single(statement), "NULL + 0 reads as 0, a leftover 42 would not");
    }
  }

  @Test
  void aTextInUseIsPreparedAgainAndOneOfTheTwoIsKept() throws SQLException {
    try (PreparedStatement outer = connection.prepareStatement(ECHO);
         PreparedStatement inner = connection.prepareStatement(ECHO)) {
      outer.setInt(1, 1);
      inner.setInt(1, 2);
      assertEquals(2, single(inner));
      assertEquals(1, single(outer));
    }
    assertEquals(2, prepared.size());
    assertTrue(prepared.get(0).isClosed() || prepared.get(1).isClosed(), "one of the two went back, the other was closed");
    try (PreparedStatement again = connection.prepareStatement(ECHO)) {
      again.setInt(1, 3);
      assertEquals(3, single(again));
    }
    assertEquals(2, prepared.size(), "the one kept is lent again");
  }

  @Test
  void aClosedLoanCannotTouchTheStatementItGaveBack() throws SQLException {
    PreparedStatement loan = connection.prepareStatement(ECHO);
    loan.close();
    loan.close();
    assertTrue(loan.isClosed());
    assertThrows(SQLException.class, () -> loan.setInt(1, 1));
    assertTrue(!prepared.get(0).isClosed(), "closing a loan twice does not close the kept statement");
  }

  /**
   * A statement whose execution failed is closed, not kept: one kept after SQLite's "database or
   * disk is full" failed every later order with "statement is not executing", space or not.
   */
  @Test
  void aStatementThatFailedIsNotUsedAgain() throws SQLException {
    String insert = "INSERT INTO t VALUES (?)";
    try (var create = connection.createStatement()) {
      create.execute("CREATE TABLE t (v TEXT)");
      // A database this small is full after a few rows: the disk filling up, in miniature.
      create.execute("PRAGMA max_page_count = 8");
    }
    SQLException full = assertThrows(SQLException.class, () -> {
      for (int i = 0; i < 100; i++) {
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
          statement.setString(1, "x".repeat(4_000));
          statement.executeUpdate();
        }
      }
    });
    assertTrue(full.getMessage().contains("FULL"), full.getMessage());
    try (var room = connection.createStatement()) {
      room.execute("PRAGMA max_page_count = 100000");
    }
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      statement.setString(1, "fits now");
      assertEquals(1, statement.executeUpdate());
    }
  }

  @Test
  void closingTheConnectionClosesWhatItKept() throws SQLException {
    connection.prepareStatement(ECHO).close();
    connection.close();
    assertTrue(prepared.get(0).isClosed());
  }

  private static int single(PreparedStatement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getInt(1);
    }
  }

  /** The driver's connection, recording the statements it prepares. */
  private Connection counting(Connection driver) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
      (proxy, method, args) -> {
        try {
          Object result = method.invoke(driver, args);
          if (method.getName().equals("prepareStatement")) {
            prepared.add((PreparedStatement) result);
          }
          return result;
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      });
  }
}
