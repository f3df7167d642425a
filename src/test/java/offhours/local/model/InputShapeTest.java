package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InputShapeTest {

  @Test
  void anInputFixesItsOwnSizeOnlyWhenChannelsHeightAndWidthAreAllFixed() {
    assertThat(InputShape.ownSize(new long[] {1, 3, 4, 4})).isTrue();
    assertThat(InputShape.ownSize(new long[] {-1, 4, 4, 3}))
        .as("a dynamic batch")
        .isTrue();
    assertThat(InputShape.ownSize(new long[] {1, 3, 4, -1}))
        .as("the width dynamic")
        .isFalse();
    assertThat(InputShape.ownSize(new long[] {1, 3, -1, 4}))
        .as("the height dynamic")
        .isFalse();
    assertThat(InputShape.ownSize(new long[] {-1, -1, 4, 3}))
        .as("NHWC, its height dynamic")
        .isFalse();
    assertThat(InputShape.ownSize(new long[] {1, -1, -1, -1})).as("all dynamic").isFalse();
  }
}
