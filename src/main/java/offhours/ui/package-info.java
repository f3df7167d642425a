/**
 * The page of {@code offhours ui}: {@link offhours.ui.UiServer} serves it and its JSON on 127.0.0.1 to the user who
 * started it, over {@link offhours.ui.UiData}, which {@link offhours.ui.AwsUiData} answers from the stack the command
 * line targets (local or deployed) with the user's own clients. Uploads pass {@link offhours.ui.UploadRules} first, and
 * thumbnails are decoded from untrusted objects within bounds ({@code Thumbnails}).
 */
package offhours.ui;
