package dev.shopmesh.payment;

import dev.shopmesh.platform.testing.Await;
import dev.shopmesh.platform.testing.TestConfig;
import dev.shopmesh.proto.payment.v1.Card;
import dev.shopmesh.proto.payment.v1.ChargeRequest;
import dev.shopmesh.proto.payment.v1.ChargeResponse;
import dev.shopmesh.proto.payment.v1.ChargeStatus;
import dev.shopmesh.proto.payment.v1.GetChargeRequest;
import dev.shopmesh.proto.payment.v1.PaymentServiceGrpcClient;
import dev.shopmesh.proto.payment.v1.RefundRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** payment-service on its own, over real gRPC on loopback. */
@ExtendWith(VertxExtension.class)
class PaymentServiceTest {

  @TempDir
  static Path data;
  static PaymentServiceGrpcClient payments;

  @BeforeAll
  static void start(Vertx vertx) {
    PaymentVerticle verticle = new PaymentVerticle(TestConfig.in(data));
    Await.result(vertx.deployVerticle(verticle));
    payments = PaymentServiceGrpcClient.create(GrpcClient.client(vertx),
      SocketAddress.inetSocketAddress(verticle.grpcPort(), "127.0.0.1"));
  }

  static ChargeRequest charge(String key, long amount, String number) {
    return ChargeRequest.newBuilder().setIdempotencyKey(key).setOrderId("order-" + key).setAmountCents(amount)
      .setCurrency("USD").setCard(Card.newBuilder().setCardNumber(number).setExpiry("12/39").setCvv("123")).build();
  }

  @Test
  void concurrentChargesWithOneKeyChargeOnce() {
    String key = UUID.randomUUID().toString();
    List<Future<ChargeResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(payments.charge(charge(key, 1500, "4242424242424242")));
    }
    Await.result(Future.all(calls));
    assertThat(calls.stream().map(f -> f.result().getCharge().getId()).distinct()).hasSize(1);
    assertThat(Await.result(payments.getCharge(GetChargeRequest.newBuilder().setIdempotencyKey(key).build()))
      .getCharge().getStatus()).isEqualTo(ChargeStatus.CHARGE_STATUS_APPROVED);
  }

  @Test
  void aReusedKeyWithADifferentAmountIsAlreadyExists() {
    String key = UUID.randomUUID().toString();
    Await.result(payments.charge(charge(key, 1500, "4242424242424242")));
    Throwable err = Await.failure(payments.charge(charge(key, 9999, "4242424242424242")));
    assertThat(((InvalidStatusException) err).actualStatus()).isEqualTo(GrpcStatus.ALREADY_EXISTS);
  }

  /** The key names one charge: of one card. Answered with the first charge, the second card's holder would think it charged. */
  @Test
  void aReusedKeyWithAnotherCardIsAlreadyExists() {
    String key = UUID.randomUUID().toString();
    Await.result(payments.charge(charge(key, 1500, "4242424242424242")));
    Throwable err = Await.failure(payments.charge(charge(key, 1500, "5555555555554444")));
    assertThat(((InvalidStatusException) err).actualStatus()).isEqualTo(GrpcStatus.ALREADY_EXISTS);
  }

  /** Nothing was taken: a refund of a declined charge refunds nothing, and the charge stays declined for the audit. */
  @Test
  void aDeclinedChargeIsNotRefunded() {
    String key = UUID.randomUUID().toString();
    Await.result(payments.charge(charge(key, 100, "4000000000000002")));
    assertThat(Await.result(payments.refund(RefundRequest.newBuilder().setIdempotencyKey(key).build())).getRefunded()).isFalse();
    assertThat(Await.result(payments.getCharge(GetChargeRequest.newBuilder().setIdempotencyKey(key).build()))
      .getCharge().getStatus()).isEqualTo(ChargeStatus.CHARGE_STATUS_DECLINED);
  }

  @Test
  void theDeclinedTestCardIsAnAnswerNotAnError() {
    ChargeResponse declined = Await.result(payments.charge(charge(UUID.randomUUID().toString(), 100, "4000000000000002")));
    assertThat(declined.getCharge().getStatus()).isEqualTo(ChargeStatus.CHARGE_STATUS_DECLINED);
    assertThat(declined.getCharge().getDeclineReason()).isNotBlank();
  }

  @Test
  void aNumberFailingLuhnIsInvalidArgumentAndNothingIsStored() {
    String key = UUID.randomUUID().toString();
    Throwable err = Await.failure(payments.charge(charge(key, 100, "4242424242424241")));
    assertThat(((InvalidStatusException) err).actualStatus()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    Throwable lookup = Await.failure(payments.getCharge(GetChargeRequest.newBuilder().setIdempotencyKey(key).build()));
    assertThat(((InvalidStatusException) lookup).actualStatus()).isEqualTo(GrpcStatus.NOT_FOUND);
  }

  @Test
  void aChargeArrivingAfterItsRefundChargesNothing() {
    String key = UUID.randomUUID().toString();
    assertThat(Await.result(payments.refund(RefundRequest.newBuilder().setIdempotencyKey(key).build())).getRefunded()).isFalse();
    ChargeResponse late = Await.result(payments.charge(charge(key, 1500, "4242424242424242")));
    assertThat(late.getCharge().getStatus()).isEqualTo(ChargeStatus.CHARGE_STATUS_REFUNDED);
    assertThat(Await.result(payments.getCharge(GetChargeRequest.newBuilder().setIdempotencyKey(key).build()))
      .getCharge().getStatus()).isEqualTo(ChargeStatus.CHARGE_STATUS_REFUNDED);
  }

  /**
   * A refund sent while its charge is still being written (the caller gave up on a slow charge):
   * whichever lands first, no charge stays approved under a refund that answered.
   */
  @Test
  void aRefundRacingItsChargeLeavesNoChargeApproved() {
    List<String> approved = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String key = UUID.randomUUID().toString();
      Future<?> refund = payments.refund(RefundRequest.newBuilder().setIdempotencyKey(key).build());
      Future<?> charge = payments.charge(charge(key, 1500, "4242424242424242"));
      Await.result(Future.all(refund, charge));
      ChargeStatus status = Await.result(payments.getCharge(GetChargeRequest.newBuilder().setIdempotencyKey(key).build()))
        .getCharge().getStatus();
      if (status == ChargeStatus.CHARGE_STATUS_APPROVED) {
        approved.add(key);
      }
    }
    assertThat(approved).as("charges left approved after their refund answered").isEmpty();
  }

  @Test
  void aRefundIsIdempotentAndAnUnknownKeyRefundsNothing() {
    String key = UUID.randomUUID().toString();
    Await.result(payments.charge(charge(key, 100, "4242424242424242")));
    RefundRequest refund = RefundRequest.newBuilder().setIdempotencyKey(key).build();
    assertThat(Await.result(payments.refund(refund)).getRefunded()).isTrue();
    assertThat(Await.result(payments.refund(refund)).getRefunded()).isTrue();
    assertThat(Await.result(payments.getCharge(GetChargeRequest.newBuilder().setIdempotencyKey(key).build()))
      .getCharge().getStatus()).isEqualTo(ChargeStatus.CHARGE_STATUS_REFUNDED);
    assertThat(Await.result(payments.refund(RefundRequest.newBuilder().setIdempotencyKey("never").build())).getRefunded()).isFalse();
  }
}
