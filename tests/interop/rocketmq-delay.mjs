// Delayed delivery with the official Producer (delay option -> DELAY message with a
// delivery_timestamp): the SimpleConsumer receives it no earlier than that time.
// Args: topic group delayMs
import { startProducer, startSimpleConsumer, receiveAtLeast, describe, finish } from './rocketmq-common.mjs';

const [ topic, group, delayArg ] = process.argv.slice(2);
const delay = Number(delayArg);

const producer = await startProducer(topic);
const consumer = await startSimpleConsumer(group, { [topic]: '*' }, 1000);
const receipt = await producer.send({ topic, delay, body: Buffer.from('later') });
const [ message ] = await receiveAtLeast(consumer, 1, { timeoutMs: delay + 15000 });
const receivedAt = Date.now();
await consumer.ack(message);

await producer.shutdown();
await consumer.shutdown();
finish({
  sentId: receipt.messageId,
  message: describe(message),
  deliveryTimestamp: message.deliveryTimestamp?.getTime() ?? null,
  receivedAt,
});
