package offhours.local.sagemaker;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Endpoints} and {@link InferenceComponents} keep of one incarnation of a resource: its id (a resource
 * deleted and created again under the same name is another incarnation), its name, and the container it runs, if any.
 * The two registries end a delete and close the same way; these helpers hold that way once.
 */
interface Incarnation {
  long id();

  String name();

  ModelContainer container();

  /**
   * The end of a delete, once its deleting delay has passed: under {@code monitor} (the registry's owner), forgets
   * {@code deleting} and, through {@code forgetAlso}, what goes with it, if it is still the incarnation under its
   * name; then stops its container outside the monitor. A late task for a name created again meanwhile does nothing.
   */
  static <T extends Incarnation> void finishDeleting(
      Object monitor, Map<String, T> registry, T deleting, Runnable forgetAlso) {
    synchronized (monitor) {
      T now = registry.get(Arns.key(deleting.name()));
      if (now == null || now.id() != deleting.id()) {
        return;
      }
      registry.remove(Arns.key(deleting.name()));
      forgetAlso.run();
    }
    if (deleting.container() != null) {
      deleting.container().close();
    }
  }

  /**
   * Empties {@code registry}, whose owner holds its monitor, and returns the containers that were running, for the
   * owner to stop once it has let the monitor go.
   */
  static List<ModelContainer> clear(Map<String, ? extends Incarnation> registry) {
    List<ModelContainer> running = registry.values().stream()
        .map(Incarnation::container)
        .filter(Objects::nonNull)
        .toList();
    registry.clear();
    return running;
  }
}
