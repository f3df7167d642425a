package offhours.endpoint.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SimulationTest {

  @Test
  void aWeekOfOfficeHoursSavesAtLeast85PercentAndClassifiesEveryUploadWithinAnHourOfTheNextOpening() {
    SimulationReport r = Simulation.run(Simulation.Config.defaults(), Trace.OFFICE_HOURS, 7);
    System.out.println(r.renderTable());
    assertThat(r.savedPercent()).isGreaterThanOrEqualTo(85.0);
    assertThat(r.late()).isZero();
    assertThat(r.dead()).isZero();
  }
}
