package dev.shopmesh.payment.api;

import dev.shopmesh.payment.store.ChargeStore;
import dev.shopmesh.platform.db.Database;
import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import dev.shopmesh.proto.payment.v1.Card;
import dev.shopmesh.proto.payment.v1.ChargeRequest;
import dev.shopmesh.proto.payment.v1.ChargeResponse;
import dev.shopmesh.proto.payment.v1.ChargeStatus;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** A charge's retry is answered as the charge was stored, even once its card has expired. */
@ExtendWith(VertxExtension.class)
class ChargeRetryTest {

  @TempDir
  Path data;
  Database database;

  @AfterEach
  void stop() {
    Await.result(database.close());
  }

  /** payment-service's Charge as it runs at {@code now}. */
  PaymentGrpc payments(Vertx vertx, String now) {
    if (database == null) {
      database = Database.open(vertx, TestConfig.in(data), "payment-service");
      Await.result(new ChargeStore(database).migrate());
    }
    return new PaymentGrpc(vertx, new ChargeStore(database), 0, new Faults(0, Logger.getLogger("test")), Logger.getLogger("test"),
      Clock.fixed(Instant.parse(now), ZoneOffset.UTC));
  }

  static ChargeRequest expiringInNovember(String key) {
    return ChargeRequest.newBuilder().setIdempotencyKey(key).setOrderId("o-" + key).setAmountCents(1500).setCurrency("USD")
      .setCard(Card.newBuilder().setCardNumber("4242424242424242").setExpiry("11/26").setCvv("123")).build();
  }

  @Test
  void aRetryAfterItsCardExpiredGetsTheStoredChargeAndANewChargeIsRefused(Vertx vertx) {
    String key = UUID.randomUUID().toString();
    ChargeResponse first = Await.result(payments(vertx, "2026-11-30T23:59:59Z").charge(expiringInNovember(key)));
    assertThat(first.getCharge().getStatus()).isEqualTo(ChargeStatus.CHARGE_STATUS_APPROVED);

    PaymentGrpc inDecember = payments(vertx, "2026-12-01T00:00:01Z");
    assertThat(Await.result(inDecember.charge(expiringInNovember(key))).getCharge().getId())
      .as("the retry's answer: the charge already taken").isEqualTo(first.getCharge().getId());
    StatusException refused = (StatusException) Await.failure(inDecember.charge(expiringInNovember(UUID.randomUUID().toString())));
    assertThat(refused.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(refused.message()).isEqualTo("card.expiry 11/26 is in the past");
  }
}
