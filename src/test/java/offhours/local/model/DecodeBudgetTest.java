package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import offhours.local.model.DecodeBudget.ImageTooLargeException;
import org.junit.jupiter.api.Test;

/** Concurrent decodes are bounded by memory, from each image's header, not by a thread count. */
class DecodeBudgetTest {
  private static final long MIB = 1024 * 1024;

  private static ImageHeader needing(long bytes) {
    return new ImageHeader("PNG", 100, 100, bytes);
  }

  @Test
  void smallImagesDecodeSideBySide() throws Exception {
    DecodeBudget budget = new DecodeBudget(10 * MIB);
    try (var a = budget.tryAdmit(needing(3 * MIB)).orElseThrow();
        var b = budget.tryAdmit(needing(3 * MIB)).orElseThrow();
        var c = budget.tryAdmit(needing(3 * MIB)).orElseThrow()) {
      assertThat(budget.tryAdmit(needing(2 * MIB)))
          .as("a fourth that does not fit")
          .isEmpty();
    }
    assertThat(budget.tryAdmit(needing(10 * MIB)))
        .as("all of it, once the three are done")
        .isPresent();
  }

  @Test
  void aLargeImageWaitsUntilTheDecodeAheadOfItGivesItsShareBack() throws Exception {
    DecodeBudget budget = new DecodeBudget(10 * MIB);
    DecodeBudget.Lease first = budget.admit(needing(6 * MIB));

    CompletableFuture<DecodeBudget.Lease> second = CompletableFuture.supplyAsync(() -> {
      try {
        return budget.admit(needing(6 * MIB));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    while (budget.waiting() == 0) {
      Thread.onSpinWait(); // until the second decode is queued: no sleeping, no timing
    }
    assertThat(second).as("while the first holds 6 of 10 MiB").isNotDone();

    first.close();

    second.get(30, TimeUnit.SECONDS).close();
  }

  @Test
  void anImageThatCouldNeverFitIsRefusedWithItsSizeAndTheBudget() {
    DecodeBudget budget = new DecodeBudget(MIB);

    assertThatThrownBy(() -> budget.admit(new ImageHeader("JPEG", 4000, 3000, 132_000_000L)))
        .isInstanceOf(ImageTooLargeException.class)
        .hasMessage(
            "decoding this 4000x3000 JPEG takes about 125.9 MiB, more than the 1.0 MiB this container decodes"
                + " within; send a smaller image");
  }
}
