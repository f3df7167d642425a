package offhours.inference;

/**
 * The endpoint's answer does not fit what offhours was told to expect (its shape, the label list, the scores
 * setting): a deployment problem, never the image's fault. The message says what was expected and shows an
 * excerpt of what came back.
 */
public final class ContractViolation extends RuntimeException {
  public ContractViolation(String message) {
    super(message);
  }
}
