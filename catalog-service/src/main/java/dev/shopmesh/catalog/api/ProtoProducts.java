package dev.shopmesh.catalog.api;

import dev.shopmesh.catalog.product.Product;
import dev.shopmesh.catalog.product.ReservedLine;

/** Domain records to and from their protobuf messages. */
final class ProtoProducts {

  private ProtoProducts() {
  }

  static dev.shopmesh.proto.catalog.v1.Product toProto(Product p) {
    return dev.shopmesh.proto.catalog.v1.Product.newBuilder()
      .setId(p.id()).setName(p.name()).setDescription(p.description())
      .setPriceCents(p.priceCents()).setCurrency(p.currency()).setStock(p.stock())
      .build();
  }

  static Product fromProto(dev.shopmesh.proto.catalog.v1.Product p) {
    return new Product(p.getId(), p.getName(), p.getDescription(), p.getPriceCents(), p.getCurrency(), p.getStock());
  }

  static dev.shopmesh.proto.catalog.v1.ReservedLine toProto(ReservedLine l) {
    return dev.shopmesh.proto.catalog.v1.ReservedLine.newBuilder()
      .setProductId(l.productId()).setName(l.name()).setQuantity(l.quantity())
      .setUnitPriceCents(l.unitPriceCents()).setCurrency(l.currency())
      .build();
  }
}
