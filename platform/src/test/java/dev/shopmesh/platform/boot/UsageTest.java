package dev.shopmesh.platform.boot;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A service's {@code --help}: every setting of the README's table, in plain text, where it stopped on "flag --help needs a value". */
class UsageTest {

  @Test
  void helpIsAskedWithEitherSpellingAmongOtherFlags() {
    assertThat(Usage.asked(new String[] {"--discovery=dir", "--help"})).isTrue();
    assertThat(Usage.asked(new String[] {"-h"})).isTrue();
    assertThat(Usage.asked(new String[] {"--grpc-port=0"})).isFalse();
    assertThat(Usage.asked(new String[] {"--helpful=1"})).isFalse();
  }

  @Test
  void theHelpListsEverySettingOfTheReadmeWithItsFlagAndDefault() {
    String help = Usage.text();
    assertThat(help).startsWith("Usage: java -jar SERVICE.jar [--setting=value ...]")
      .contains("  --grpc-port, SHOPMESH_GRPC_PORT\n      the service's gRPC port (default: 0 (any free port); gateway 50051)\n")
      .contains("  --rpc-deadline-ms, SHOPMESH_RPC_DEADLINE_MS\n      deadline of outgoing calls")
      .as("without Markdown").doesNotContain("`", "](");
    List<Usage.Setting> settings = Usage.settings(Usage.readme());
    assertThat(settings).hasSizeGreaterThan(30);
    settings.forEach(s -> assertThat(help).contains(s.flag() + ", " + s.variable()));
  }

  @Test
  void aLongMeaningIsWrappedUnderItsSetting() {
    assertThat(Usage.text().lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(100));
  }
}
