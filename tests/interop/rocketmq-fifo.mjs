// FIFO with the official clients: messages of a message group arrive in send order; the
// queue stays blocked while the batch is un-acked and invisible; redelivery keeps the order;
// a plain (non-FIFO) message is refused by the client because the route accepts FIFO only.
// Args: topic group invisibleMs
import { startProducer, startSimpleConsumer, receiveAtLeast, describe, errorInfo, finish } from './rocketmq-common.mjs';

const [ topic, group, invisibleArg ] = process.argv.slice(2);
const invisibleMs = Number(invisibleArg);

const producer = await startProducer(topic);
const sent = [];
for (let i = 1; i <= 5; i++) {
  const receipt = await producer.send({ topic, messageGroup: 'customer-42', body: Buffer.from(`step-${i}`) });
  sent.push(receipt.messageId);
}
const plainSend = await producer.send({ topic, body: Buffer.from('not fifo') }).then(() => null, errorInfo);

const consumer = await startSimpleConsumer(group, { [topic]: '*' }, 1000);
const firstBatch = await receiveAtLeast(consumer, 5, { invisibleMs });
// While the batch is invisible and un-acked the queue is locked: a poll finds nothing.
const whileBlocked = await consumer.receive(32, invisibleMs);
const redelivered = await receiveAtLeast(consumer, 5, { invisibleMs: 30000, timeoutMs: invisibleMs + 10000 });
for (const message of redelivered) {
  await consumer.ack(message);
}
const next = await producer.send({ topic, messageGroup: 'customer-42', body: Buffer.from('step-6') });
const afterAck = await receiveAtLeast(consumer, 1, { invisibleMs: 30000 });
for (const message of afterAck) {
  await consumer.ack(message);
}

await producer.shutdown();
await consumer.shutdown();
finish({
  sent,
  plainSend,
  firstBatch: firstBatch.map(describe),
  whileBlocked: whileBlocked.map(describe),
  redelivered: redelivered.map(describe),
  next: next.messageId,
  afterAck: afterAck.map(describe),
});
