package dev.shopmesh.catalog.api;

import dev.shopmesh.catalog.product.Product;
import dev.shopmesh.catalog.product.ProductRules;
import dev.shopmesh.platform.error.Failure;
import dev.shopmesh.proto.catalog.v1.GetProductPageRequest;
import dev.shopmesh.proto.catalog.v1.GetProductPageResponse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * A checked {@code GetProductPage} request: products after {@code afterId}, at most {@code size}.
 * The page token is the last id of the page before, base64url-encoded so that clients treat it as
 * opaque: keyset paging stays right while products are added, where an offset would skip or repeat.
 */
record ProductPage(String afterId, int size) {

  static final int DEFAULT_SIZE = 50;
  /** 500 products of the largest size the schema allows stay far below the 256 KB message cap. */
  static final int MAX_SIZE = 500;

  static ProductPage of(GetProductPageRequest request) {
    int size = request.getPageSize() == 0 ? DEFAULT_SIZE : request.getPageSize();
    if (size < 1 || size > MAX_SIZE) {
      throw Failure.invalid("page_size must be between 1 and " + MAX_SIZE + " (0 for " + DEFAULT_SIZE + "), got " + request.getPageSize());
    }
    return new ProductPage(afterId(request.getPageToken()), size);
  }

  /** The products to fetch: one more than the page holds, to learn whether another page follows. */
  int fetch() {
    return size + 1;
  }

  /** The page out of up to {@link #fetch()} products, in id order. */
  GetProductPageResponse response(List<Product> fetched) {
    List<Product> shown = fetched.subList(0, Math.min(size, fetched.size()));
    GetProductPageResponse.Builder page = GetProductPageResponse.newBuilder();
    shown.forEach(p -> page.addProducts(ProtoProducts.toProto(p)));
    if (fetched.size() > size) {
      page.setNextPageToken(token(shown.get(shown.size() - 1).id()));
    }
    return page.build();
  }

  static String token(String lastId) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(lastId.getBytes(StandardCharsets.UTF_8));
  }

  private static String afterId(String token) {
    if (token.isEmpty()) {
      return "";
    }
    try {
      String id = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      // Only an id a product could have: a decoded NUL failed INTERNAL on PostgreSQL, whose text cannot hold one.
      if (ProductRules.possibleId(id) && token.equals(token(id))) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // falls through to the same answer as any other token this service did not issue
    }
    throw Failure.invalid("page_token is not one this service issued: pass the one a page gave unchanged"
      + " (next_page_token, or the Link header over HTTP)");
  }
}
