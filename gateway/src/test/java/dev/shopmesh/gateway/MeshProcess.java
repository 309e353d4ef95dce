package dev.shopmesh.gateway;

import dev.shopmesh.platform.testing.TestConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The mesh in a child JVM, for tests that kill it with SIGKILL: starts like {@link TestMesh} and
 * writes its HTTP port to {@code args[1]} once serving.
 */
public final class MeshProcess {

  private MeshProcess() {
  }

  public static void main(String[] args) throws IOException {
    TestMesh mesh = TestMesh.start(TestConfig.in(Path.of(args[0])));
    Path tmp = Path.of(args[1] + ".tmp");
    Files.writeString(tmp, Integer.toString(mesh.httpPort()));
    Files.move(tmp, Path.of(args[1]));
  }
}
