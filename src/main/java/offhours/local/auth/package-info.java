/**
 * Who may call local mode's services: only the user who started the stack. {@link offhours.local.auth.RequestGuard}
 * decides it for each request (Host, Origin, the body's size, and a SigV4 signature, {@code SigV4Signature}, made with
 * the stack's own {@link offhours.local.auth.StackCredentials}); {@link offhours.local.auth.GuardFilter} puts it in
 * front of a server's handlers (the local SageMaker and Lambda).
 */
package offhours.local.auth;
