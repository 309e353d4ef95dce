package dev.shopmesh.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adding a service means a few files no compiler checks (docs/adding-a-service.md); this names the
 * one forgotten. A newcomer who added a fifth service found it missing from {@code ./shopmesh up}
 * (not in {@link Services}) or from the containers (no compose service, no database, no jar in the
 * image's build context) only when something downstream failed, docker compose last of all.
 */
class ServiceInventoryTest {

  /** The repository: the nearest folder up from where the test runs (a module under Maven) holding docker-compose.yml. */
  private static final Path ROOT = Stream.iterate(Path.of("").toAbsolutePath(), Objects::nonNull, Path::getParent)
    .filter(dir -> Files.exists(dir.resolve("docker-compose.yml"))).findFirst().orElseThrow();

  @Test
  void everyServiceModuleOfTheBuildIsOneTheCliRuns() throws IOException {
    List<String> modules = Pattern.compile("<module>([^<]+)</module>").matcher(read("pom.xml")).results()
      .map(m -> m.group(1)).filter(m -> m.endsWith("-service") || m.equals("gateway")).toList();
    assertThat(Services.ALL).extracting(Services.Service::name)
      .as("the services in cli/…/Services.java, against the service modules in pom.xml")
      .containsExactlyInAnyOrderElementsOf(modules);
  }

  @Test
  void everyServiceRunsInComposeFromItsOwnJarAndEveryBackendWithItsOwnDatabase() throws IOException {
    String compose = read("docker-compose.yml");
    String databases = read("docker/postgres/create-databases.sql");
    // Named one by one: Docker's legacy builder skips a directory left out by '*' unless an
    // exception names it literally, so '!*-service/target/*-service.jar' let no jar in.
    List<String> buildContext = read(".dockerignore").lines().filter(l -> l.startsWith("!")).map(l -> l.substring(1)).toList();
    String gatewayWaitsFor = block(compose, "gateway");
    Map<String, String> databaseOf = new HashMap<>();
    for (Services.Service service : Services.ALL) {
      String name = service.name();
      String block = block(compose, name);
      assertThat(block).as("docker-compose.yml's service %s builds its own image, from its own jar", name)
        .contains("image: shopmesh/" + name + "\n").contains("SERVICE: " + name + "\n");
      String jar = name + "/target/" + name + ".jar";
      assertThat(buildContext).as(".dockerignore lets %s into the image's build context", jar).contains(jar);
      if (service == Services.GATEWAY) {
        continue;
      }
      Matcher db = Pattern.compile("SHOPMESH_DB_URL: postgresql://[^/]+/(\\w+)").matcher(block);
      assertThat(db.find()).as("docker-compose.yml gives %s a SHOPMESH_DB_URL of its own", name).isTrue();
      assertThat(databases).as("docker/postgres/create-databases.sql creates %s's database", name)
        .contains("CREATE DATABASE " + db.group(1) + ";");
      assertThat(databaseOf.put(db.group(1), name)).as("the service whose database %s's SHOPMESH_DB_URL names too", name).isNull();
      assertThat(gatewayWaitsFor).as("the gateway's depends_on in docker-compose.yml waits for %s", name)
        .containsPattern("(?m)^      " + Pattern.quote(name) + ":\\n        condition: service_healthy$");
    }
  }

  /** The lines of a top-level service in docker-compose.yml, from its name to the next service. */
  private static String block(String compose, String service) {
    Matcher start = Pattern.compile("(?m)^  " + Pattern.quote(service) + ":\\n").matcher(compose);
    assertThat(start.find()).as("docker-compose.yml has a service %s", service).isTrue();
    Matcher next = Pattern.compile("(?m)^  \\S").matcher(compose);
    return compose.substring(start.end(), next.find(start.end()) ? next.start() : compose.length());
  }

  /** The file's text with its line ends as LF, whatever the checkout wrote. */
  private static String read(String file) throws IOException {
    return Files.readString(ROOT.resolve(file)).replace("\r\n", "\n");
  }
}
