/**
 * Local mode: offhours deployed on this machine, the README's "local stack".
 *
 * <p>{@link offhours.local.LocalDeployment#start} is where it starts: from {@code offhours local run}, which
 * {@code local start} runs in the background, and from {@code demo}. {@code DeploymentWiring} starts the pieces in
 * order and wires them as template.yaml wires the real ones: the model ({@code local.model}), moto_server
 * ({@code local.moto}: S3, SQS, DynamoDB), the local SageMaker ({@code local.sagemaker}), the resources under the
 * stack's names ({@link offhours.local.LocalResources}, from {@link offhours.stack.StackSpec}), the local Lambda
 * ({@code local.lambda}) running the real Classify, controller and HTTP API handlers as {@code StackFunctions}
 * registers them, with the environments {@code FunctionEnvironments} gives them, and the API's local front
 * ({@code local.api}). The
 * local SageMaker and Lambda take only requests signed with the stack's own credentials ({@code local.auth}); the API's
 * front takes a token. {@link offhours.local.StateFile} is what other commands read of a running stack
 * ({@link offhours.local.StateFileKeeper} keeps it true, with the processes {@code local.process} recorded), and
 * {@code local stop} ends every process the stack started from that record and the processes' mark, after a
 * {@code kill -9} too. {@link offhours.local.LocalDeployment#update} gives the running stack a new model as a stack
 * update does on AWS ({@code ModelSwitch}, {@code StackModel}); {@code local update} hands it one over the stack's
 * {@link offhours.local.ControlSocket}.
 */
package offhours.local;
