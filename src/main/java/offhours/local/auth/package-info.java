/**
 * Who may call local mode's services: only the user who started the stack. {@link offhours.local.auth.RequestGuard}
 * decides it for each request (Host, Origin, the body's size, and a SigV4 signature, {@code SigV4Signature}, made with
 * the stack's own {@link offhours.local.auth.StackCredentials}); {@link offhours.local.auth.GuardFilter} puts it in
 * front of a server's handlers (the local SageMaker and Lambda); the local API front asks it only for the signature
 * ({@link offhours.local.auth.ApiSignatures}), beside its own token.
 */
package offhours.local.auth;
