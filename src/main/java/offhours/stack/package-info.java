/**
 * The one description of the stack that template.yaml and local mode both follow: {@link offhours.stack.StackSpec}
 * (names, queues, tables, routes, defaults), {@link offhours.stack.FunctionVariables} (each function's environment),
 * {@link offhours.stack.Hosting} and the controller's metrics ({@link offhours.stack.ControllerMetrics}). The template
 * tests check template.yaml against it; {@link offhours.stack.QuotaNeeds} is for {@code offhours quotas} only.
 */
package offhours.stack;
