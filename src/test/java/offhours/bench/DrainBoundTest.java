package offhours.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The drain is judged against the smaller of all cores and moto_server's one core. */
class DrainBoundTest {

  @Test
  void moto_serversOneCoreBindsWhenItSpendsMoreThanHalfOfTheCpuOnTwoCores() {
    // The full bench of 2026-12-03 17:08 UTC: 36.7 ms of JVM and 67.8 ms of moto_server per image.
    DrainBound b = new DrainBound(2, 36.7, 67.8);

    assertThat(b.allCores()).isCloseTo(19.14, within(0.01));
    assertThat(b.motoCore()).isCloseTo(14.75, within(0.01));
    assertThat(b.bound()).isEqualTo(b.motoCore());
    assertThat(b.motoBinds()).isTrue();
    assertThat(12.7 / b.bound()).isCloseTo(0.86, within(0.005));
    assertThat(b.limit())
        .isEqualTo("bound 14.7 /s, the smaller of moto_server's 1 core / 67.8 ms = 14.7 /s"
            + " and 2 cores / 104.5 ms (JVM + moto_server) = 19.1 /s");
  }

  @Test
  void allCoresBindWhenTheJvmSpendsMost() {
    DrainBound b = new DrainBound(2, 90.0, 10.0);

    assertThat(b.allCores()).isCloseTo(20.0, within(1e-9));
    assertThat(b.motoCore()).isCloseTo(100.0, within(1e-9));
    assertThat(b.bound()).isEqualTo(b.allCores());
    assertThat(b.motoBinds()).isFalse();
    assertThat(b.limit())
        .isEqualTo("bound 20.0 /s, the smaller of 2 cores / 100.0 ms (JVM + moto_server) = 20.0 /s"
            + " and moto_server's 1 core / 10.0 ms = 100.0 /s");
  }

  @Test
  void onOneCoreTheWholeStackBindsFirst() {
    // moto_server's core is then the machine's only core, shared with the JVM.
    DrainBound b = new DrainBound(1, 30.0, 70.0);

    assertThat(b.bound()).isCloseTo(10.0, within(1e-9));
    assertThat(b.motoBinds()).isFalse();
  }

  @Test
  void refusesCpuFiguresFromADrainThatMeasuredNothing() {
    assertThatThrownBy(() -> new DrainBound(2, 36.7, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the CPU per image must be positive: JVM 36.7 ms, moto_server 0.0 ms; was anything"
                + " drained?");
    assertThatThrownBy(() -> new DrainBound(0, 36.7, 67.8))
        .hasMessage("cores must be at least 1, not 0");
  }
}
