package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.config.Config;
import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.rpc.MeshClient;
import io.vertx.core.Vertx;

import java.util.logging.Logger;

/** What a service's set-up gets from the platform. */
public record MeshContext(Vertx vertx, Config config, Logger log, MeshClient client, ReplicaCache replicas) {
}
