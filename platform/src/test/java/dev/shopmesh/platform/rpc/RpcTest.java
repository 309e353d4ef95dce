package dev.shopmesh.platform.rpc;

import dev.shopmesh.platform.error.Failure;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.server.StatusException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.concurrent.CancellationException;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

class RpcTest {

  @Test
  void failuresKeepTheirMessageAndGetTheirStatus() {
    var status = Rpc.toStatus(Failure.invalid("items[0].quantity must be positive"));
    assertThat(status.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(status.message()).isEqualTo("items[0].quantity must be positive");
  }

  @Test
  void unexpectedErrorsBecomeInternalWithoutTheirDetails() {
    var status = Rpc.toStatus(new NullPointerException("secret detail"));
    assertThat(status.status()).isEqualTo(GrpcStatus.INTERNAL);
    assertThat(status.message()).doesNotContain("secret");
  }

  @Test
  void workCancelledUnderAHandlerIsCancelledNotAnInternalError() {
    // A timer or a promise cancelled as Vert.x closes, under a handler that was still waiting on it.
    var status = Rpc.toStatus(new CancellationException());
    assertThat(status.status()).isEqualTo(GrpcStatus.CANCELLED);
    assertThat(Rpc.severity(status.status())).isEqualTo(Level.INFO);
  }

  @Test
  void aMessageOverTheLimitIsTheCallersMistakeAndAnUnknownCompressionIsNoBugOfOurs() {
    // Logged without a stack: neither is a defect of this server (InboundMessages answers both).
    assertThat(Rpc.severity(GrpcStatus.RESOURCE_EXHAUSTED)).isEqualTo(Level.INFO);
    assertThat(Rpc.severity(GrpcStatus.UNIMPLEMENTED)).isEqualTo(Level.WARNING);
  }

  /** A call opened on a connection a killed replica just closed: retried as UNAVAILABLE, not a 500. */
  @Test
  void aStreamOnAClosedConnectionIsUnavailable() {
    assertThat(Rpc.statusOf(new Http2Exception(Http2Error.PROTOCOL_ERROR,
      "Attempted to create stream id 331 after connection was closed"))).isEqualTo(GrpcStatus.UNAVAILABLE);
    assertThat(Rpc.statusOf(new Http2Exception(Http2Error.PROTOCOL_ERROR, "Header size exceeded max allowed size (8192)")))
      .as("no outage: a retry would meet it again").isNotEqualTo(GrpcStatus.UNAVAILABLE);
  }

  @Test
  void anAnswerOverTheMessageLimitIsResourceExhaustedSayingSo() {
    var status = Rpc.toStatus(new MessageSizeOverflowException(5_000));
    assertThat(status.status()).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(status.message()).isEqualTo("an answer of 5000 bytes is over the message size limit (SHOPMESH_MAX_MESSAGE_BYTES)");
  }

  @Test
  void aDatabaseOutOfReachIsUnavailableAndABadStatementStillAnInternalError() {
    var shuttingDown = Rpc.toStatus(new PgException("the database system is shutting down", "FATAL", "57P03", null));
    assertThat(shuttingDown.status()).isEqualTo(GrpcStatus.UNAVAILABLE);
    assertThat(shuttingDown.message()).isEqualTo("the database is unavailable");
    assertThat(Rpc.statusOf(ClosedConnectionException.INSTANCE)).isEqualTo(GrpcStatus.UNAVAILABLE);
    assertThat(Rpc.statusOf(new SQLiteException("[SQLITE_FULL] database or disk is full", SQLiteErrorCode.SQLITE_FULL)))
      .isEqualTo(GrpcStatus.UNAVAILABLE);
    assertThat(Rpc.statusOf(new SQLiteException("[SQLITE_BUSY] The database file is locked", SQLiteErrorCode.SQLITE_BUSY)))
      .isEqualTo(GrpcStatus.UNAVAILABLE);
    assertThat(Rpc.toStatus(new PgException("relation \"nope\" does not exist", "ERROR", "42P01", null)).status())
      .isEqualTo(GrpcStatus.INTERNAL);
  }

  @Test
  void aTransactionTheDatabaseRolledBackForAConflictIsAbortedToSendAgain() {
    var deadlock = Rpc.toStatus(new PgException("deadlock detected", "ERROR", "40P01", null));
    assertThat(deadlock.status()).isEqualTo(GrpcStatus.ABORTED);
    assertThat(deadlock.message()).isEqualTo("the database rolled the request back for a conflict with another; send it again");
  }

  @Test
  void aStatusWithoutAMessageGetsOneSayingWhatItIs() {
    // Vert.x answers a call past its deadline DEADLINE_EXCEEDED with no message: clients read "null".
    assertThat(Rpc.toStatus(new StatusException(GrpcStatus.DEADLINE_EXCEEDED)).message()).isEqualTo("deadline exceeded");
  }

  @Test
  void aRefusedConnectionIsUnavailable() {
    assertThat(Rpc.statusOf(new ConnectException("Connection refused"))).isEqualTo(GrpcStatus.UNAVAILABLE);
  }
}
