package dev.shopmesh.platform.db;

import io.vertx.core.json.JsonArray;
import io.vertx.jdbcclient.spi.JDBCColumnDescriptorProvider;
import io.vertx.jdbcclient.spi.JDBCEncoder;
import io.vertx.sqlclient.Tuple;

/**
 * Hands each parameter to the JDBC driver as it is. The stores bind only strings, numbers, booleans
 * and nulls, which the driver takes directly; Vert.x's own encoder first reads the statement's
 * parameter metadata and formats a debug line for every parameter, 6 % of the mesh's CPU under order
 * load. Named in {@link Database} as the embedded pool's {@code encoderCls}.
 */
public final class PlainValues implements JDBCEncoder {

  @Override
  public Object encode(JsonArray input, int pos, JDBCColumnDescriptorProvider provider) {
    return input.getValue(pos - 1);
  }

  @Override
  public Object encode(Tuple input, int pos, JDBCColumnDescriptorProvider provider) {
    return input.getValue(pos - 1);
  }
}
