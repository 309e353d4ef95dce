package dev.shopmesh.gateway.http;

import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.proto.catalog.v1.Product;
import dev.shopmesh.proto.order.v1.Order;
import dev.shopmesh.proto.order.v1.OrderItem;
import dev.shopmesh.proto.order.v1.PlaceOrderRequest;
import dev.shopmesh.proto.order.v1.Rejection;
import dev.shopmesh.proto.payment.v1.Card;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/** The HTTP API's JSON shapes, to and from the gRPC messages. Field names are part of the API. */
final class JsonMessages {

  private JsonMessages() {
  }

  static JsonObject product(Product p) {
    return new JsonObject()
      .put("id", p.getId()).put("name", p.getName()).put("description", p.getDescription())
      .put("priceCents", p.getPriceCents()).put("currency", p.getCurrency()).put("stock", p.getStock());
  }

  /**
   * An order; money and names only once catalog-service priced it. An order rejected before that
   * (short stock) has no total, currency, names or unit prices, rather than zeros and an empty
   * currency code.
   */
  static JsonObject order(Order o) {
    boolean priced = !o.getCurrency().isEmpty();
    JsonArray items = new JsonArray();
    o.getLinesList().forEach(l -> {
      JsonObject item = new JsonObject().put("productId", l.getProductId());
      if (priced) {
        item.put("name", l.getName());
      }
      item.put("quantity", l.getQuantity());
      if (priced) {
        item.put("unitPriceCents", l.getUnitPriceCents());
      }
      items.add(item);
    });
    JsonObject json = new JsonObject()
      .put("orderId", o.getId())
      .put("status", o.getStatus().name().substring("ORDER_STATUS_".length()))
      .put("customerId", o.getCustomerId());
    if (priced) {
      json.put("totalCents", o.getTotalCents()).put("currency", o.getCurrency());
    }
    json.put("items", items)
      .put("createdAtMillis", o.getCreatedAtMillis())
      .put("updatedAtMillis", o.getUpdatedAtMillis());
    if (o.getRejection() != Rejection.REJECTION_UNSPECIFIED) {
      json.put("rejection", o.getRejection().name().substring("REJECTION_".length())).put("reason", o.getReason());
    }
    return json;
  }

  /** {@code {"customerId", "items":[{"productId","quantity"}], "payment":{"cardNumber","expiry","cvv"}}}. */
  static PlaceOrderRequest placeOrder(JsonObject body, String idempotencyKey) {
    JsonFields.noMisspelt(body, "", Set.of("customerId", "items", "payment"));
    PlaceOrderRequest.Builder request = PlaceOrderRequest.newBuilder()
      .setIdempotencyKey(idempotencyKey)
      .setCustomerId(JsonFields.string(body, "", "customerId"));
    JsonArray items = JsonFields.array(body, "", "items");
    for (int i = 0; i < items.size(); i++) {
      if (!(items.getValue(i) instanceof JsonObject item)) {
        throw Failure.invalid("items[" + i + "] must be an object");
      }
      String path = "items[" + i + "].";
      JsonFields.noMisspelt(item, path, Set.of("productId", "quantity"));
      request.addItems(OrderItem.newBuilder()
        .setProductId(JsonFields.string(item, path, "productId"))
        .setQuantity(JsonFields.integer(item, path, "quantity")));
    }
    JsonObject payment = JsonFields.object(body, "", "payment");
    JsonFields.noMisspelt(payment, "payment.", Set.of("cardNumber", "expiry", "cvv"));
    request.setPayment(Card.newBuilder()
      .setCardNumber(JsonFields.string(payment, "payment.", "cardNumber"))
      .setExpiry(JsonFields.string(payment, "payment.", "expiry"))
      .setCvv(JsonFields.string(payment, "payment.", "cvv")));
    return request.build();
  }
}
