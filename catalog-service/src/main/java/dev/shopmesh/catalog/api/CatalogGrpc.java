package dev.shopmesh.catalog.api;

import dev.shopmesh.catalog.product.Product;
import dev.shopmesh.catalog.product.ProductRules;
import dev.shopmesh.catalog.store.CatalogStore;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.platform.error.StoredText;
import dev.shopmesh.platform.rpc.Rpc;
import dev.shopmesh.proto.catalog.v1.CatalogServiceService;
import dev.shopmesh.proto.catalog.v1.GetProductPageRequest;
import dev.shopmesh.proto.catalog.v1.GetProductPageResponse;
import dev.shopmesh.proto.catalog.v1.GetProductRequest;
import dev.shopmesh.proto.catalog.v1.GetProductResponse;
import dev.shopmesh.proto.catalog.v1.ImportProductsRequest;
import dev.shopmesh.proto.catalog.v1.ImportProductsResponse;
import dev.shopmesh.proto.catalog.v1.ListProductsRequest;
import dev.shopmesh.proto.catalog.v1.ListProductsResponse;
import dev.shopmesh.proto.catalog.v1.ListReservationsRequest;
import dev.shopmesh.proto.catalog.v1.ListReservationsResponse;
import dev.shopmesh.proto.catalog.v1.ReleaseStockRequest;
import dev.shopmesh.proto.catalog.v1.ReleaseStockResponse;
import dev.shopmesh.proto.catalog.v1.ReservationLine;
import dev.shopmesh.proto.catalog.v1.ReserveStockRequest;
import dev.shopmesh.proto.catalog.v1.ReserveStockResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/** The gRPC face of the catalog: translates messages to store calls and back, nothing more. */
public final class CatalogGrpc extends CatalogServiceService {

  /** An import is buffered to write all or nothing; this bounds that buffer. */
  static final int MAX_IMPORT = 10_000;

  private final CatalogStore store;
  private final Logger log;

  public CatalogGrpc(CatalogStore store, Logger log) {
    this.store = store;
    this.log = log;
  }

  @Override
  public Future<GetProductResponse> getProduct(GetProductRequest request) {
    String id = request.getId();
    if (id.isEmpty()) {
      // As GetOrder answers: an empty id is a request missing its field, not a product looked for.
      return Rpc.reply(log, "GetProduct", Future.failedFuture(Failure.invalid("id is required")));
    }
    return Rpc.reply(log, "GetProduct", (ProductRules.possibleId(id) ? store.find(id) : Future.succeededFuture(Optional.<Product>empty()))
      .map(found -> found
        .map(p -> GetProductResponse.newBuilder().setProduct(ProtoProducts.toProto(p)).build())
        .orElseThrow(() -> ProductRules.unknown(id))));
  }

  /** From the start, or after {@code after_id}: where a client (the gateway's relay) goes on from a stream that broke. */
  @Override
  protected void listProducts(ListProductsRequest request, WriteStream<ListProductsResponse> response) {
    String start = request.getAfterId();
    if (!start.isEmpty() && !ProductRules.possibleId(start)) {
      Rpc.fail(log, "ListProducts", response, Failure.invalid("after_id must be a product id (1-64 lowercase letters, digits"
        + " or dashes) or empty, got '" + start + "'"));
      return;
    }
    Rpc.streamPages(log, "ListProducts", last -> store.page(last == null ? start : last.getProduct().getId(), Rpc.STREAM_PAGE)
      .map(products -> products.stream()
        .map(p -> ListProductsResponse.newBuilder().setProduct(ProtoProducts.toProto(p)).build()).toList()),
      Rpc.STREAM_PAGE, response);
  }

  @Override
  public Future<GetProductPageResponse> getProductPage(GetProductPageRequest request) {
    return Rpc.reply(log, "GetProductPage", Future.succeededFuture(request)
      .map(ProductPage::of)
      .compose(page -> store.page(page.afterId(), page.fetch()).map(page::response)));
  }

  @Override
  protected void listReservations(ListReservationsRequest request, WriteStream<ListReservationsResponse> response) {
    Rpc.streamPages(log, "ListReservations", last -> store.reservationLines(last == null ? "" : last.getReservationId(),
        last == null ? "" : last.getProductId(), Rpc.STREAM_PAGE)
      .map(lines -> lines.stream()
        .map(l -> ListReservationsResponse.newBuilder().setReservationId(l.reservationId()).setProductId(l.productId())
          .setQuantity(l.quantity()).setReleased(l.released()).build()).toList()),
      Rpc.STREAM_PAGE, response);
  }

  @Override
  public Future<ImportProductsResponse> importProducts(ReadStream<ImportProductsRequest> requests) {
    Promise<List<Product>> received = Promise.promise();
    List<Product> products = new ArrayList<>();
    requests.handler(msg -> {
      if (received.future().isComplete()) {
        return;
      }
      try {
        if (products.size() == MAX_IMPORT) {
          throw Failure.invalid("an import takes at most " + MAX_IMPORT + " products");
        }
        products.add(ProductRules.check("products[" + products.size() + "]", ProtoProducts.fromProto(msg.getProduct())));
      } catch (Failure f) {
        received.tryFail(f);
      }
    });
    requests.exceptionHandler(received::tryFail);
    requests.endHandler(v -> received.tryComplete(products));
    return Rpc.reply(log, "ImportProducts", received.future()
      .compose(store::importAll)
      .map(n -> ImportProductsResponse.newBuilder().setImported(n).build()));
  }

  @Override
  public Future<ReserveStockResponse> reserveStock(ReserveStockRequest request) {
    return Rpc.reply(log, "ReserveStock", Future.succeededFuture(request)
      .map(CatalogGrpc::quantities)
      .compose(quantities -> store.reserve(request.getReservationId(), quantities))
      .map(lines -> {
        ReserveStockResponse.Builder reply = ReserveStockResponse.newBuilder().setReservationId(request.getReservationId());
        lines.forEach(l -> reply.addLines(ProtoProducts.toProto(l)));
        return reply.build();
      }));
  }

  /** Validates a reservation request and sums duplicate lines. */
  static Map<String, Integer> quantities(ReserveStockRequest request) {
    reservationId(request.getReservationId());
    if (request.getLinesCount() == 0) {
      throw Failure.invalid("lines must not be empty");
    }
    Map<String, Integer> quantities = new HashMap<>();
    for (int i = 0; i < request.getLinesCount(); i++) {
      ReservationLine line = request.getLines(i);
      if (line.getProductId().isBlank()) {
        throw Failure.invalid("lines[" + i + "].productId is required");
      }
      if (line.getQuantity() <= 0) {
        throw Failure.invalid("lines[" + i + "].quantity must be positive, got " + line.getQuantity());
      }
      if (!ProductRules.possibleId(line.getProductId())) {
        throw ProductRules.unknown(line.getProductId());
      }
      long total = (long) quantities.getOrDefault(line.getProductId(), 0) + line.getQuantity();
      if (total > Integer.MAX_VALUE) {
        throw Failure.invalid("lines[" + i + "].quantity: the lines of product '" + line.getProductId()
          + "' add up to more than " + Integer.MAX_VALUE);
      }
      quantities.put(line.getProductId(), (int) total);
    }
    return quantities;
  }

  @Override
  public Future<ReleaseStockResponse> releaseStock(ReleaseStockRequest request) {
    return Rpc.reply(log, "ReleaseStock", Future.succeededFuture(request.getReservationId())
      .map(CatalogGrpc::reservationId)
      .compose(store::release)
      .map(released -> ReleaseStockResponse.newBuilder().setReleased(released).build()));
  }

  /** A reservation id as its column can keep it, for a reservation and its release alike. */
  private static String reservationId(String id) {
    if (id.isBlank()) {
      throw Failure.invalid("reservationId is required");
    }
    return StoredText.check("reservationId", id, 128);
  }
}
