package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InstanceTypesTest {

  @Test
  void gpuInferentiaAndTrainiumTypesAreAcceleratedCpuTypesAreNot() {
    for (String type : new String[] {
      "ml.g4dn.xlarge",
      "ml.g5.xlarge",
      "ml.p3.2xlarge",
      "ml.inf2.xlarge",
      "ml.trn1.2xlarge",
      " ML.G6.XLARGE "
    }) {
      assertThat(InstanceTypes.accelerated(type)).as(type).isTrue();
    }
    for (String type :
        new String[] {"ml.m5.large", "ml.c5.2xlarge", "ml.t2.medium", "ml.r5.large", ""}) {
      assertThat(InstanceTypes.accelerated(type)).as(type).isFalse();
    }
  }
}
