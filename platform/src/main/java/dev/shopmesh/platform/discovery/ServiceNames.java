package dev.shopmesh.platform.discovery;

/**
 * The names the mesh's services register under and are called by, in one place: a service and its
 * callers must spell them alike, and a caller in another module had them as literals of its own.
 */
public final class ServiceNames {

  public static final String CATALOG = "catalog-service";
  public static final String PAYMENT = "payment-service";
  public static final String ORDER = "order-service";
  public static final String GATEWAY = "gateway";

  private ServiceNames() {
  }
}
