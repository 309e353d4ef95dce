package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.metrics.ServedCalls;
import dev.shopmesh.platform.rpc.MeshClient;

/**
 * What a service's set-up gets from the platform besides its own Vert.x, configuration and log
 * (fields of {@link MeshVerticle}): the client it calls the mesh with, the replicas it sees, and
 * the counts of the gRPC calls its server answers (for the service that shows metrics: the gateway).
 */
public record MeshContext(MeshClient client, ReplicaCache replicas, ServedCalls answered) {
}
