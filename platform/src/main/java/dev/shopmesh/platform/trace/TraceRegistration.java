package dev.shopmesh.platform.trace;

import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;

/**
 * Loaded by every Vert.x instance as it starts (META-INF/services), so that {@link Trace}'s context
 * local is registered before any instance exists: Vert.x sizes each context's locals when it
 * starts, and one registered later would not be there.
 */
public final class TraceRegistration implements VertxServiceProvider {

  /** Where {@link Trace} keeps the trace of the request a context serves. */
  static final ContextLocal<Trace.Served> KEY = ContextLocal.registerLocal(Trace.Served.class);

  /** Nothing to set up: being loaded, which registers {@link #KEY}, is the point. */
  @Override
  public void init(VertxBootstrap builder) {
  }
}
