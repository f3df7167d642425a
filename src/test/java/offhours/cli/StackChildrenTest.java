package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class StackChildrenTest {

  /**
   * A descendant is named by its parent's id while the parent runs; one whose parent ended between the listing of
   * descendants and the read of its parent is said to be forked by an ended parent, not "forked by pid ?" (a CI run
   * met that while pyenv's shim handed moto_server on).
   */
  @Test
  void aForkedProcessIsNamedByItsParentOrSaidToHaveLostIt() {
    assertThat(StackChildren.forkedBy(Optional.of(ProcessHandle.current())))
        .isEqualTo("forked by pid " + ProcessHandle.current().pid());
    assertThat(StackChildren.forkedBy(Optional.empty())).isEqualTo("forked (its parent has ended)");
  }
}
