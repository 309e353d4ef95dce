package dev.shopmesh.gateway.audit;

import dev.shopmesh.platform.discovery.ServiceNames;
import dev.shopmesh.platform.rpc.MeshClient;
import dev.shopmesh.proto.catalog.v1.CatalogServiceGrpcClient;
import dev.shopmesh.proto.catalog.v1.ListReservationsRequest;
import dev.shopmesh.proto.catalog.v1.ListReservationsResponse;
import dev.shopmesh.proto.order.v1.ListOrdersRequest;
import dev.shopmesh.proto.order.v1.ListOrdersResponse;
import dev.shopmesh.proto.order.v1.OrderServiceGrpcClient;
import dev.shopmesh.proto.payment.v1.ListChargesRequest;
import dev.shopmesh.proto.payment.v1.ListChargesResponse;
import dev.shopmesh.proto.payment.v1.PaymentServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

/**
 * {@code GET /api/audit}: the invariants that say no order was lost, charged twice or left stock
 * behind ({@link Tally}), checked across the three services' own records. Each service streams its
 * records in the order of their order's id, and the audit walks the three streams side by side, one
 * order at a time, pausing a stream that runs ahead ({@link OrderedReader}): it holds a few hundred
 * records whatever the size of the shop, and so does each service ({@code Rpc.streamPages}).
 */
public final class Audit {

  /** An audit reads three whole tables: more than the default deadline, still bounded. */
  static final long LIST_DEADLINE_MS = 60_000;

  /** Where one service's records come from: a stream handed to {@code reader}; the future ends with it. */
  interface Source<T> {
    Future<Void> read(Future<?> abandon, Handler<ReadStream<T>> reader);
  }

  private final MeshClient client;

  public Audit(MeshClient client) {
    this.client = client;
  }

  public Future<JsonObject> run() {
    Source<ListOrdersResponse> orders = (abandon, reader) -> client.read(ServiceNames.ORDER,
      OrderServiceGrpcClient.ListOrders, ListOrdersRequest.getDefaultInstance(), LIST_DEADLINE_MS, abandon, reader);
    Source<ListChargesResponse> charges = (abandon, reader) -> client.read(ServiceNames.PAYMENT,
      PaymentServiceGrpcClient.ListCharges, ListChargesRequest.getDefaultInstance(), LIST_DEADLINE_MS, abandon, reader);
    Source<ListReservationsResponse> reservations = (abandon, reader) -> client.read(ServiceNames.CATALOG,
      CatalogServiceGrpcClient.ListReservations, ListReservationsRequest.getDefaultInstance(), LIST_DEADLINE_MS, abandon, reader);
    return of(orders, charges, reservations);
  }

  /** The audit of the records the three sources give, each in the order of their order's id. */
  static Future<JsonObject> of(Source<ListOrdersResponse> orders, Source<ListChargesResponse> charges,
                               Source<ListReservationsResponse> reservations) {
    return new Walk(orders, charges, reservations).done.future();
  }

  /** The three streams walked side by side. */
  private static final class Walk {

    final Promise<JsonObject> done = Promise.promise();
    final Tally tally = new Tally();
    final OrderedReader<ListOrdersResponse> orders = new OrderedReader<>("order-service's orders",
      r -> r.getOrder().getId(), this::step);
    final OrderedReader<ListChargesResponse> charges = new OrderedReader<>("payment-service's charges",
      r -> r.getCharge().getOrderId(), this::step);
    final OrderedReader<ListReservationsResponse> reservations = new OrderedReader<>("catalog-service's reservations",
      ListReservationsResponse::getReservationId, this::step);
    boolean stepping;

    Walk(Source<ListOrdersResponse> orderSource, Source<ListChargesResponse> chargeSource,
         Source<ListReservationsResponse> reservationSource) {
      follow(orderSource, orders);
      follow(chargeSource, charges);
      follow(reservationSource, reservations);
    }

    private <T> void follow(Source<T> source, OrderedReader<T> reader) {
      source.read(done.future(), reader::read).onComplete(ended -> reader.end(), done::tryFail);
    }

    /**
     * Tallies every order whose records have all arrived from the three streams: a stream has sent
     * all of an order's records once it sent a record of a later order, or ended. Runs again as
     * records arrive; not within itself (taking records resumes a stream, which can hand over
     * what it holds at once).
     */
    void step() {
      if (stepping || done.future().isComplete()) {
        return;
      }
      stepping = true;
      try {
        while (true) {
          Throwable disorder = firstNonNull(orders.disorder(), charges.disorder(), reservations.disorder());
          if (disorder != null) {
            done.tryFail(disorder);
            return;
          }
          if (!orders.ready() || !charges.ready() || !reservations.ready()) {
            return;
          }
          String next = least(least(orders.head(), charges.head()), reservations.head());
          if (next == null) {
            done.tryComplete(tally.report());
            return;
          }
          if (!orders.holdsAllOf(next) || !charges.holdsAllOf(next) || !reservations.holdsAllOf(next)) {
            return;
          }
          tally.add(orders.take(next).stream().map(ListOrdersResponse::getOrder).toList(),
            charges.take(next).stream().map(ListChargesResponse::getCharge).toList(), reservations.take(next));
        }
      } finally {
        stepping = false;
      }
    }

    private static String least(String a, String b) {
      return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
    }

    private static Throwable firstNonNull(Throwable... all) {
      for (Throwable t : all) {
        if (t != null) {
          return t;
        }
      }
      return null;
    }
  }
}
