import type { ConsumeMessage } from 'amqplib';
import {
  type Link,
  type RemoteChild,
  SpanKind,
  type Span,
  contextFromHeaders,
  continueTrace,
  linkTo,
  startSpan,
  tracingEnabled,
} from '@lib/observability';

/**
 * With tracing on, handling one delivery is a consumer span `process <event>`, child of the span
 * that published it (the outbox relay's, itself a child of the request that wrote the event), so
 * a consumer's work joins that request's trace. Undefined when tracing is off.
 */
export function startConsumeSpan(
  consumer: string,
  queue: string,
  msg: ConsumeMessage,
): RemoteChild | undefined {
  if (!tracingEnabled()) return undefined;
  const event = (msg.properties.type ?? msg.fields.routingKey) as string;
  return continueTrace(`process ${event}`, SpanKind.CONSUMER, msg.properties.headers, {
    'messaging.system': 'rabbitmq',
    'messaging.operation.type': 'process',
    'messaging.destination.name': queue,
    'messaging.consumer.group.name': consumer,
    'messaging.message.id': msg.properties.messageId as string,
  });
}

/**
 * A batch committed in one transaction has one parent per event: its span `process batch` starts
 * a trace of its own and links to each event's publish span.
 */
export function startBatchSpan(consumer: string, queue: string, batch: ConsumeMessage[]): Span | undefined {
  if (!tracingEnabled()) return undefined;
  const links = batch
    .map((msg) => linkTo(contextFromHeaders(msg.properties.headers)))
    .filter((link): link is Link => link !== undefined);
  return startSpan(
    `process batch ${consumer}`,
    SpanKind.CONSUMER,
    {
      'messaging.system': 'rabbitmq',
      'messaging.operation.type': 'process',
      'messaging.destination.name': queue,
      'messaging.consumer.group.name': consumer,
      'messaging.batch.message_count': batch.length,
    },
    contextFromHeaders(undefined),
    links,
  );
}
