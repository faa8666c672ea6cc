// Sends a generated mix of messages with Apache's official RocketMQ Node producer
// (rocketmq-client-nodejs) to the endpoint in ROCKETMQ_ENDPOINT. Standard input: a JSON array of
// { topic, tag?, keys?, properties: [[key, value], …], body (base64), messageGroup? }.
// Prints the message ids, in input order, as a JSON array.
import { startProducer, finish } from './rocketmq-common.mjs';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const messages = JSON.parse(input);
const producer = await startProducer(messages[0].topic);
const ids = [];
for (const m of messages) {
  const receipt = await producer.send({
    topic: m.topic,
    tag: m.tag ?? undefined,
    keys: m.keys ?? [],
    messageGroup: m.messageGroup ?? undefined,
    properties: new Map(m.properties),
    body: Buffer.from(m.body, 'base64'),
  });
  ids.push(receipt.messageId);
}
await producer.shutdown();
finish(ids);
