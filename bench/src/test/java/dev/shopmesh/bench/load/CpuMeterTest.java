package dev.shopmesh.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CpuMeterTest {

  // A real /proc/<pid>/stat line, with a command name that has a space and a parenthesis in it.
  private static final String STAT = "22218 (ca t) x) R 22216 22216 12554 0 -1 4194304 99 0 0 0 7 3 11 13 20 0 1 0 459920 3133440 381";

  @Test
  void readsOwnAndChildrenCpuTicks() {
    assertThat(CpuMeter.ticksOf(STAT, false)).isEqualTo(7 + 3);
    assertThat(CpuMeter.ticksOf(STAT, true)).isEqualTo(11 + 13);
  }

  @Test
  void anUnreadableProcessIsUnknown() {
    assertThat(CpuMeter.ticks("/proc/0/no-such-file", false)).isEqualTo(-1);
  }
}
