/**
 * The processes the local stack runs outside its JVM (moto_server, npm and node, each endpoint's container command),
 * tracked so that {@code local stop} ends them all, after a {@code kill -9} of the stack too.
 * {@link offhours.local.process.ChildProcesses} is the stack's {@link offhours.local.process.ProcessRecorder}: it
 * starts a process, marks it ({@link offhours.local.process.StackMark}) and records it
 * ({@link offhours.local.process.ChildProcess}) in one step; {@code ProcessEnvironment} and {@code ProcessReads} read
 * another process from {@code /proc}. It uses nothing else of local mode, so every part of local mode can use it.
 */
package offhours.local.process;
