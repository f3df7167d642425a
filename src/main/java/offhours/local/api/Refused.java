package offhours.local.api;

/**
 * Why the local front refuses a request: its status (400, 401, 403 or 404), the message the caller reads, whether it
 * comes from a page (an Origin) or names another host (a page whose name was rebound to this server), whose body is
 * never read, and the {@code x-amzn-ErrorType} API Gateway names the fault with, or null.
 */
record Refused(int status, String message, boolean fromElsewhere, String errorType) {

  Refused(int status, String message, boolean fromElsewhere) {
    this(status, message, fromElsewhere, null);
  }
}
