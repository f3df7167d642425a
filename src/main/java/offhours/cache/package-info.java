/**
 * offhours' directory on the user's machine ({@link offhours.cache.CacheDirectory}: the default model, the local
 * stack's state file and logs) and how everything under it is written, private to the user and atomic
 * ({@link offhours.cache.CacheFiles}).
 */
package offhours.cache;
