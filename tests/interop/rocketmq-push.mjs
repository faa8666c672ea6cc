// The official PushConsumer against the emulator: QueryAssignment, ReceiveMessage with
// auto-renew, listener, ack. Args: topic group count
import { startProducer, startPushConsumer, ConsumeResult, finish } from './rocketmq-common.mjs';

const [ topic, group, countArg ] = process.argv.slice(2);
const count = Number(countArg);

const producer = await startProducer(topic);
const sent = [];
for (let i = 0; i < count; i++) {
  sent.push((await producer.send({ topic, tag: 'push', body: Buffer.from(`push-${i}`) })).messageId);
}

const consumed = [];
let done;
const allConsumed = new Promise(resolve => { done = resolve; });
const consumer = await startPushConsumer(group, { [topic]: 'push' }, async message => {
  consumed.push({ messageId: message.messageId, body: message.body.toString('utf8'), deliveryAttempt: message.deliveryAttempt });
  if (consumed.length >= count) done();
  return ConsumeResult.SUCCESS;
});
const timedOut = await Promise.race([ allConsumed.then(() => false), new Promise(resolve => setTimeout(() => resolve(true), 30000)) ]);
// Give the consume service a moment to send the acks of the last messages before shutting down.
await new Promise(resolve => setTimeout(resolve, 1000));
await producer.shutdown();
await Promise.race([ consumer.shutdown(), new Promise(resolve => setTimeout(resolve, 10000)) ]);
finish({ sent, consumed, timedOut });
