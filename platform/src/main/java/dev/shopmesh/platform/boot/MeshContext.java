package dev.shopmesh.platform.boot;

import dev.shopmesh.platform.discovery.ReplicaCache;
import dev.shopmesh.platform.rpc.MeshClient;

/**
 * What a service's set-up gets from the platform besides its own Vert.x, configuration and log
 * (fields of {@link MeshVerticle}): the client it calls the mesh with, and the replicas it sees.
 */
public record MeshContext(MeshClient client, ReplicaCache replicas) {
}
