package dev.shopmesh.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessMemoryTest {

  // The lines of a real /proc/<pid>/status around the ones read.
  private static final String STATUS = "Name:\tjava\nVmPeak:\t 4511236 kB\nVmSize:\t 4446724 kB\nVmLck:\t       0 kB\n"
    + "VmHWM:\t  431220 kB\nVmRSS:\t  402116 kB\nRssAnon:\t  380520 kB\nThreads:\t42\n";

  @Test
  void readsResidentAndPeakResidentMemory() {
    ProcessMemory m = ProcessMemory.parse(STATUS);

    assertThat(m).isEqualTo(new ProcessMemory(402_116, 431_220));
    assertThat(m.rssMiB()).isEqualTo(402_116 / 1024.0);
  }

  @Test
  void aProcessWithoutThemIsUnknown() {
    // A kernel thread's status has no Vm lines; a process that is gone has no status at all.
    assertThat(ProcessMemory.parse("Name:\tkthreadd\nThreads:\t1\n")).isEqualTo(ProcessMemory.UNKNOWN);
    assertThat(ProcessMemory.of(Long.MAX_VALUE)).isEqualTo(ProcessMemory.UNKNOWN);
    assertThat(ProcessMemory.UNKNOWN.rssMiB()).isNaN();
  }
}
