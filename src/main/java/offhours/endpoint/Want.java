package offhours.endpoint;

import java.time.Instant;

/**
 * What a controller run wants: the endpoint ON or OFF and why; {@code until} is when this want changes by itself (a
 * wake due, the end of a stay), or null.
 */
record Want(boolean on, String reason, Instant until) {
  Want(boolean on, String reason) {
    this(on, reason, null);
  }
}
