package dev.shopmesh.bench.orders;

import dev.shopmesh.proto.order.v1.Order;
import dev.shopmesh.proto.order.v1.OrderStatus;
import dev.shopmesh.proto.order.v1.PlaceOrderResponse;
import dev.shopmesh.proto.order.v1.Rejection;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class OutcomeTest {

  private static PlaceOrderResponse answered(OrderStatus status, Rejection rejection) {
    return PlaceOrderResponse.newBuilder().setOrder(Order.newBuilder().setId("o-1").setStatus(status)
      .setRejection(rejection).setReason("product 'bench-01' has 0 in stock, 1 requested")).build();
  }

  @Test
  void onlyAConfirmedOrderIsASuccess() {
    assertThat(Outcome.of(answered(OrderStatus.ORDER_STATUS_CONFIRMED, Rejection.REJECTION_UNSPECIFIED)))
      .isEqualTo(Outcome.CONFIRMED);
    assertThat(Outcome.of(answered(OrderStatus.ORDER_STATUS_PENDING, Rejection.REJECTION_UNSPECIFIED)))
      .isEqualTo(new Outcome(Outcome.Kind.WRONG, "order PENDING"));
  }

  @Test
  void aRejectionForATimeoutOrAnOutageIsOverloadAnyOtherIsWrong() {
    assertThat(Outcome.of(answered(OrderStatus.ORDER_STATUS_REJECTED, Rejection.REJECTION_TIMEOUT)))
      .isEqualTo(new Outcome(Outcome.Kind.OVERLOAD, "order REJECTED (TIMEOUT)"));
    assertThat(Outcome.of(answered(OrderStatus.ORDER_STATUS_REJECTED, Rejection.REJECTION_UNAVAILABLE)).kind())
      .isEqualTo(Outcome.Kind.OVERLOAD);
    // The reason (ids, figures) is left out, so one cause counts as one problem.
    assertThat(Outcome.of(answered(OrderStatus.ORDER_STATUS_REJECTED, Rejection.REJECTION_OUT_OF_STOCK)))
      .isEqualTo(new Outcome(Outcome.Kind.WRONG, "order REJECTED (OUT_OF_STOCK)"));
    assertThat(Outcome.of(answered(OrderStatus.ORDER_STATUS_REJECTED, Rejection.REJECTION_PAYMENT_DECLINED)).kind())
      .isEqualTo(Outcome.Kind.WRONG);
  }

  @Test
  void aFailedCallIsJudgedByItsStatus() {
    assertThat(Outcome.of(new InvalidStatusException(GrpcStatus.OK, GrpcStatus.DEADLINE_EXCEEDED)))
      .isEqualTo(new Outcome(Outcome.Kind.OVERLOAD, "gRPC DEADLINE_EXCEEDED"));
    assertThat(Outcome.of(new IOException("Connection refused")))
      .isEqualTo(new Outcome(Outcome.Kind.OVERLOAD, "gRPC UNAVAILABLE"));
    assertThat(Outcome.of(new InvalidStatusException(GrpcStatus.OK, GrpcStatus.INVALID_ARGUMENT)))
      .isEqualTo(new Outcome(Outcome.Kind.WRONG, "gRPC INVALID_ARGUMENT"));
    assertThat(Outcome.of(new StatusException(GrpcStatus.ALREADY_EXISTS, "idempotencyKey 'k' was already used")))
      .isEqualTo(new Outcome(Outcome.Kind.WRONG, "gRPC ALREADY_EXISTS: idempotencyKey 'k' was already used"));
  }
}
