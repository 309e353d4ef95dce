package dev.shopmesh.order.saga;

import dev.shopmesh.order.order.NewOrder;
import dev.shopmesh.platform.discovery.ServiceNames;
import dev.shopmesh.platform.rpc.MeshClient;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcClient;
import dev.shopmesh.proto.catalog.v1.ReleaseStockRequest;
import dev.shopmesh.proto.catalog.v1.ReservationLine;
import dev.shopmesh.proto.catalog.v1.ReserveStockRequest;
import dev.shopmesh.proto.catalog.v1.ReserveStockResponse;
import dev.shopmesh.proto.payment.v1.Card;
import dev.shopmesh.proto.payment.v1.ChargeRequest;
import dev.shopmesh.proto.payment.v1.ChargeResponse;
import dev.shopmesh.proto.payment.v1.PaymentServiceGrpcClient;
import dev.shopmesh.proto.payment.v1.RefundRequest;
import io.vertx.core.Future;


/**
 * The calls the saga makes to catalog-service and payment-service, through the mesh client. Each
 * step carries a key derived from the order id, so that a repeated step never applies twice: all
 * of them are therefore retried on another replica when one fails.
 */
public class Downstream {

  public static final String CATALOG = ServiceNames.CATALOG;
  public static final String PAYMENT = ServiceNames.PAYMENT;

  private final MeshClient client;

  public Downstream(MeshClient client) {
    this.client = client;
  }

  public Future<ReserveStockResponse> reserve(String orderId, NewOrder order) {
    ReserveStockRequest.Builder request = ReserveStockRequest.newBuilder().setReservationId(orderId);
    order.items().forEach(i -> request.addLines(ReservationLine.newBuilder().setProductId(i.productId()).setQuantity(i.quantity())));
    return client.idempotent(CATALOG, CatalogServiceGrpcClient.ReserveStock, request.build());
  }

  /** A compensation: runs with its own deadline, even when the order's request has run out of time. */
  public Future<Void> release(String orderId) {
    return client.detached(CATALOG, CatalogServiceGrpcClient.ReleaseStock,
      ReleaseStockRequest.newBuilder().setReservationId(orderId).build()).mapEmpty();
  }

  public Future<ChargeResponse> charge(String orderId, long amountCents, String currency, NewOrder.PaymentCard card) {
    return client.idempotent(PAYMENT, PaymentServiceGrpcClient.Charge, ChargeRequest.newBuilder()
      .setIdempotencyKey(chargeKey(orderId)).setOrderId(orderId).setAmountCents(amountCents).setCurrency(currency)
      .setCard(Card.newBuilder().setCardNumber(card.cardNumber()).setExpiry(card.expiry()).setCvv(card.cvv()))
      .build());
  }

  /** A compensation, as {@link #release}. */
  public Future<Void> refund(String orderId) {
    return client.detached(PAYMENT, PaymentServiceGrpcClient.Refund,
      RefundRequest.newBuilder().setIdempotencyKey(chargeKey(orderId)).build()).mapEmpty();
  }

  static String chargeKey(String orderId) {
    return "order-" + orderId;
  }
}
