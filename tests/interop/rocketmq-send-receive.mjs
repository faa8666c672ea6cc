// Producer sends messages (tags, keys, properties); a SimpleConsumer with the given filter
// receives and acks them. Args: topic group filter-expression [filter-type TAG|SQL92] [expected]
import { FilterExpression } from 'rocketmq-client-nodejs';
import { startProducer, startSimpleConsumer, receiveAtLeast, describe, finish } from './rocketmq-common.mjs';

const [ topic, group, expression, filterType = 'TAG', expectedArg = '3' ] = process.argv.slice(2);
const expected = Number(expectedArg);

const producer = await startProducer(topic);
const sent = [];
const messages = [
  { tag: 'created', keys: [ 'order-1' ], properties: { region: 'eu', amount: '10' }, body: '{"order":1}' },
  { tag: 'paid', keys: [ 'order-2' ], properties: { region: 'us', amount: '250' }, body: '{"order":2}' },
  { tag: 'created', keys: [ 'order-3' ], properties: { region: 'us', amount: '99' }, body: '{"order":3}' },
];
for (const m of messages) {
  const receipt = await producer.send({
    topic, tag: m.tag, keys: m.keys, properties: new Map(Object.entries(m.properties)), body: Buffer.from(m.body),
  });
  sent.push({ messageId: receipt.messageId, offset: receipt.offset, body: m.body });
}

const filter = filterType === 'SQL92' ? new FilterExpression(expression, 2) : expression;
const consumer = await startSimpleConsumer(group, { [topic]: filter });
const received = await receiveAtLeast(consumer, expected, { timeoutMs: expected === 0 ? 1 : 20000 });
const acks = [];
for (const message of received) {
  await consumer.ack(message);
  acks.push(message.messageId);
}
await producer.shutdown();
await consumer.shutdown();
finish({ sent, received: received.map(describe), acks });
