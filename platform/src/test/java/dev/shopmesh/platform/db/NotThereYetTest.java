package dev.shopmesh.platform.db;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ConnectException;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures of a start's first statements mean a database that is only late, tried again for
 * up to 30 s, and which are said at once (the end-to-end cases need PostgreSQL:
 * {@code StartBeforeItsDatabaseTest}, {@code StartOnUnusableDatabaseTest}).
 */
class NotThereYetTest {

  static PgException sqlState(String code) {
    return new PgException("the server says so", "FATAL", code, null);
  }

  /** Broken off (class 08), out of connections, shutting down, crashed, starting up. */
  @ParameterizedTest
  @ValueSource(strings = {"08006", "08001", "53300", "57P01", "57P02", "57P03"})
  void aDatabaseOnItsWayIsTriedAgain(String code) {
    assertThat(Database.notThereYet(sqlState(code))).isTrue();
  }

  /** A missing database, a refused login, a full disk, a statement of ours that is wrong: the operator's to fix now. */
  @ParameterizedTest
  @ValueSource(strings = {"3D000", "28P01", "28000", "53100", "42P01"})
  void aDatabaseThatWillNotServeIsSaidAtOnce(String code) {
    assertThat(Database.notThereYet(sqlState(code))).isFalse();
  }

  /** A container's name that does not resolve yet, a refusing port, however deep the cause; the pool's wait run out. */
  @Test
  void anAddressNotThereYetIsTriedAgain() {
    assertThat(Database.notThereYet(new UnknownHostException("postgres"))).isTrue();
    assertThat(Database.notThereYet(new RuntimeException(new ConnectException("Connection refused")))).isTrue();
    assertThat(Database.notThereYet(new VertxException("Timeout", true))).isTrue();
    assertThat(Database.notThereYet(new IllegalStateException("Pool closed"))).isFalse();
  }
}
