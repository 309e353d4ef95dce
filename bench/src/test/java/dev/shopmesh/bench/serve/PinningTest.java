package dev.shopmesh.bench.serve;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PinningTest {

  @Test
  void readsAKernelCpuList() {
    assertThat(Pinning.parseList("0-1\n")).containsExactly(0, 1);
    assertThat(Pinning.parseList("0-2,5,8-9")).containsExactly(0, 1, 2, 5, 8, 9);
    assertThat(Pinning.parseList("3")).containsExactly(3);
    assertThatThrownBy(() -> Pinning.parseList("3-1")).hasMessageContaining("not a CPU list");
  }

  @Test
  void theLoadGeneratorGetsAQuarterAtLeastOneTheServerTheRest() {
    assertThat(Pinning.split(List.of(0, 1))).isEqualTo(new Pinning(List.of(0), List.of(1)));
    assertThat(Pinning.split(List.of(0, 1, 2, 3, 4, 5, 6, 7))).isEqualTo(new Pinning(List.of(0, 1), List.of(2, 3, 4, 5, 6, 7)));
    assertThat(Pinning.split(List.of(2, 3)).serverPrefix()).containsExactly("taskset", "-c", "3");
  }

  @Test
  void needsTwoCpus() {
    assertThatThrownBy(() -> Pinning.split(List.of(0))).hasMessageContaining("at least 2 CPUs");
  }
}
