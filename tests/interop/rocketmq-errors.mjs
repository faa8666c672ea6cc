// Bad input through the official clients: every case prints the error class and the proxy's code.
// Args: topic group
import { FilterExpression } from 'rocketmq-client-nodejs';
import { startProducer, startSimpleConsumer, errorInfo, finish } from './rocketmq-common.mjs';

const [ topic, group ] = process.argv.slice(2);
const producer = await startProducer(topic);
const attempt = promise => promise.then(() => null, errorInfo);
const manyProperties = new Map(Array.from({ length: 129 }, (_, i) => [ `p${i}`, 'v' ]));

const results = {
  emptyBody: await attempt(producer.send({ topic, body: Buffer.alloc(0) })),
  tagWithBar: await attempt(producer.send({ topic, tag: 'a|b', body: Buffer.from('x') })),
  blankKey: await attempt(producer.send({ topic, keys: [ ' ' ], body: Buffer.from('x') })),
  tooManyProperties: await attempt(producer.send({ topic, properties: manyProperties, body: Buffer.from('x') })),
  deliveryTooFar: await attempt(producer.send({ topic, delay: 2 * 24 * 3600 * 1000, body: Buffer.from('x') })),
  illegalTopic: await attempt(producer.send({ topic: 'bad topic!', body: Buffer.from('x') })),
};

const consumer = await startSimpleConsumer(group, { [topic]: '*' }, 1000);
results.invisibleTooLong = await attempt(consumer.receive(1, 13 * 3600 * 1000));
await consumer.subscribe(topic, new FilterExpression('a = = 1', 2));
results.badSqlFilter = await attempt(consumer.receive(1, 15000));

await producer.shutdown();
await consumer.shutdown();
finish(results);
