/**
 * moto_server as local mode's S3, SQS and DynamoDB: {@link offhours.local.moto.MotoServer} starts it as a child process
 * on 127.0.0.1 and a free port (through the stack's {@code ProcessRecorder}), waits until it is ready, and stops it.
 */
package offhours.local.moto;
