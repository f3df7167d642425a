/**
 * The stack's two CloudFormation custom resources, functions of the controller's zip:
 * {@link offhours.endpoint.cfn.EndpointCleanupHandler} ({@code EndpointCleanup}: the stack's delete holds the
 * controller and deletes its endpoint, the create sweeps S3's test event off the queue) and
 * {@link offhours.endpoint.cfn.LiveVersionsHandler} ({@code LiveVersions}: each function's {@code live} alias on its
 * current configuration). Both answer CloudFormation's pre-signed URL ({@code CustomResourceResponse}), and every AWS
 * call of theirs ends in time for that answer ({@code ResponseDeadline}).
 */
package offhours.endpoint.cfn;
