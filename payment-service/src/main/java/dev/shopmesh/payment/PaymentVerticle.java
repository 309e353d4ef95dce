package dev.shopmesh.payment;

import dev.shopmesh.payment.api.Faults;
import dev.shopmesh.payment.api.PaymentGrpc;
import dev.shopmesh.payment.store.ChargeStore;
import dev.shopmesh.platform.boot.MeshContext;
import dev.shopmesh.platform.boot.MeshVerticle;
import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.ServiceNames;
import dev.shopmesh.proto.payment.v1.PaymentServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.grpc.server.Service;

import java.time.Clock;
import java.util.List;

/** payment-service: a simulated card processor with its own store of charges. */
public final class PaymentVerticle extends MeshVerticle {

  public static final String NAME = ServiceNames.PAYMENT;

  public PaymentVerticle(Config config) {
    super(NAME, config);
  }

  @Override
  protected Future<List<Service>> setUp(MeshContext context) {
    ChargeStore store = new ChargeStore(database());
    return store.migrate().map(v -> List.of(PaymentServiceGrpcService.of(new PaymentGrpc(vertx, store,
      config.getLong("FAULT_CHARGE_REPLY_DELAY_MS", 0), new Faults(config.getLong("FAULT_HALT_AFTER_CHARGES", 0), log), log,
      Clock.systemUTC()))));
  }
}
