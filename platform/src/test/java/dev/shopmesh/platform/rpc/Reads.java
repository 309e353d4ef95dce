package dev.shopmesh.platform.rpc;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.grpc.common.ServiceMethod;

import java.util.ArrayList;
import java.util.List;

/** A server-streaming call read to its end with {@link MeshClient#read}: every message, or the failure's status. */
final class Reads {

  private Reads() {
  }

  static <Req, Resp> Future<List<Resp>> list(MeshClient client, String service, ServiceMethod<Resp, Req> method, Req request,
                                             long deadlineMillis) {
    List<Resp> items = new ArrayList<>();
    return client.read(service, method, request, deadlineMillis, Promise.<Void>promise().future(), stream -> stream.handler(items::add))
      .map(v -> items);
  }

  static <Req, Resp> Future<List<Resp>> list(MeshClient client, String service, ServiceMethod<Resp, Req> method, Req request) {
    return list(client, service, method, request, client.deadlineMillis());
  }
}
