package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.metrics.ServedCalls;
import dev.shopmesh.platform.rpc.MeshClient;
import dev.shopmesh.platform.rpc.ServerTls;

/**
 * What a service's set-up gets from the platform besides its own Vert.x, configuration and log
 * (fields of {@link MeshVerticle}): the client it calls the mesh with, the replicas it sees, and
 * the counts of the gRPC calls its server answers (for the service that shows metrics: the gateway),
 * and the TLS its gRPC port serves, for another port it opens to the same callers (the gateway's HTTP).
 */
public record MeshContext(MeshClient client, ReplicaCache replicas, ServedCalls answered, ServerTls tls) {
}
