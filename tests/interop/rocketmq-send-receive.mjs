// Producer sends messages (tags, keys, properties); a SimpleConsumer with the given filter
// receives and acks them. Args: topic group filter-expression [filter-type TAG|SQL92] [expected]
import { FilterExpression } from 'rocketmq-client-nodejs';
import { startProducer, startSimpleConsumer, receiveAtLeast, sendOrders, ackAll, describe, finish } from './rocketmq-common.mjs';

const [ topic, group, expression, filterType = 'TAG', expectedArg = '3' ] = process.argv.slice(2);
const expected = Number(expectedArg);

const producer = await startProducer(topic);
const sent = (await sendOrders(producer, topic)).map(({ messageId, offset, body }) => ({ messageId, offset, body }));

const filter = filterType === 'SQL92' ? new FilterExpression(expression, 2) : expression;
const consumer = await startSimpleConsumer(group, { [topic]: filter });
const received = await receiveAtLeast(consumer, expected, { timeoutMs: expected === 0 ? 1 : 20000 });
const acks = await ackAll(consumer, received);
await producer.shutdown();
await consumer.shutdown();
finish({ sent, received: received.map(describe), acks });
