package offhours.results;

/**
 * The model settings the stack classifies with now, as a reader outside its functions learned them: what tells the
 * results written under other settings ({@link ResultItem#settingsAgainst}) from current ones.
 *
 * @param fingerprint the settings' fingerprint (offhours.inference.ModelContract#settingsFingerprint), or null when
 *     not known: every result's settings are then unknown
 * @param exact true when resolved from the stack's own settings, as Classify resolves them; false when taken from the
 *     newest classification, which right after a settings change (until Classify writes its first result under the
 *     new ones) still names the older settings
 * @param basis what results are compared with, and for a fallback why, in words for people
 */
public record LiveSettings(String fingerprint, boolean exact, String basis) {

  public LiveSettings {
    java.util.Objects.requireNonNull(basis, "basis");
  }
}
