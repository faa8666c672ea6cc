// Invisibility expiry and receipt handles with the official SimpleConsumer:
// receive without ack -> redelivered with deliveryAttempt+1 and a new handle; the stale handle
// is refused; changeInvisibleDuration returns a new handle and invalidates the previous one.
// Args: topic group invisibleMs
import { startProducer, startSimpleConsumer, receiveAtLeast, describe, errorInfo, finish } from './rocketmq-common.mjs';

const [ topic, group, invisibleArg ] = process.argv.slice(2);
const invisibleMs = Number(invisibleArg);

const producer = await startProducer(topic);
const receipt = await producer.send({ topic, tag: 'retry', body: Buffer.from('redeliver me') });
const consumer = await startSimpleConsumer(group, { [topic]: '*' }, 1000);

const [ first ] = await receiveAtLeast(consumer, 1, { invisibleMs });
const [ second ] = await receiveAtLeast(consumer, 1, { invisibleMs: 30000 });

const staleAck = await consumer.ack(first).then(() => null, errorInfo);

const beforeChange = second.receiptHandle;
await consumer.changeInvisibleDuration(second, 30000);
const afterChange = second.receiptHandle;
const oldHandleAck = await consumer.ack({ ...second, topic: second.topic, messageId: second.messageId, receiptHandle: beforeChange, endpoints: second.endpoints })
  .then(() => null, errorInfo);
const newHandleAck = await consumer.ack(second).then(() => null, errorInfo);
const afterAck = await consumer.receive(1, invisibleMs);

await producer.shutdown();
await consumer.shutdown();
finish({
  sentId: receipt.messageId,
  first: describe(first),
  second: describe(second),
  staleAck,
  handles: { beforeChange, afterChange },
  oldHandleAck,
  newHandleAck,
  afterAckCount: afterAck.length,
});
