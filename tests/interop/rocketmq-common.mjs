// Shared helpers for the RocketMQ interop scripts: the official Apache Node client
// (rocketmq-client-nodejs) pointed at our emulator over plaintext h2c.
import { format } from 'node:util';
import { Producer, SimpleConsumer, PushConsumer, ConsumeResult } from 'rocketmq-client-nodejs';

export { ConsumeResult };

// Warnings and errors go to stderr so a failing test shows them; chatter is dropped.
export const logger = {
  info() {},
  debug() {},
  warn: (...args) => process.stderr.write(`WARN ${format(...args)}\n`),
  error: (...args) => process.stderr.write(`ERROR ${format(...args)}\n`),
};

export const endpoint = process.env.ROCKETMQ_ENDPOINT;
if (!endpoint) {
  throw new Error('ROCKETMQ_ENDPOINT is required');
}

function credentials() {
  const accessKey = process.env.ROCKETMQ_ACCESS_KEY;
  return accessKey ? { accessKey, accessSecret: process.env.ROCKETMQ_SECRET_KEY } : undefined;
}

export async function startProducer(topic) {
  const producer = new Producer({
    endpoints: endpoint, namespace: '', sslEnabled: false, logger, topic, sessionCredentials: credentials(),
  });
  await producer.startup();
  return producer;
}

export async function startSimpleConsumer(group, subscriptions, awaitDuration = 5000) {
  const consumer = new SimpleConsumer({
    endpoints: endpoint, namespace: '', sslEnabled: false, logger, consumerGroup: group,
    subscriptions: new Map(Object.entries(subscriptions)), awaitDuration, sessionCredentials: credentials(),
  });
  await consumer.startup();
  return consumer;
}

export async function startPushConsumer(group, subscriptions, consume) {
  const consumer = new PushConsumer({
    endpoints: endpoint, namespace: '', sslEnabled: false, logger, consumerGroup: group,
    subscriptions: new Map(Object.entries(subscriptions)), messageListener: { consume },
    longPollingTimeout: 5000, sessionCredentials: credentials(),
  });
  await consumer.startup();
  return consumer;
}

// Receives until `count` messages arrived or the time is up (each call long-polls).
export async function receiveAtLeast(consumer, count, { invisibleMs = 15000, timeoutMs = 20000, batch = 32 } = {}) {
  const received = [];
  const end = Date.now() + timeoutMs;
  while (received.length < count && Date.now() < end) {
    received.push(...await consumer.receive(batch, invisibleMs));
  }
  return received;
}

// The sample orders the scenarios send: tags, keys and properties that filters can tell apart.
export const sampleOrders = [
  { tag: 'created', keys: [ 'order-1' ], properties: { region: 'eu', amount: '10' }, body: '{"order":1}' },
  { tag: 'paid', keys: [ 'order-2' ], properties: { region: 'us', amount: '250' }, body: '{"order":2}' },
  { tag: 'created', keys: [ 'order-3' ], properties: { region: 'us', amount: '99' }, body: '{"order":3}' },
];

// Sends each order with the official Producer; returns what was sent with its receipt.
export async function sendOrders(producer, topic, orders = sampleOrders) {
  const sent = [];
  for (const m of orders) {
    const receipt = await producer.send({
      topic, tag: m.tag, keys: m.keys, properties: new Map(Object.entries(m.properties)), body: Buffer.from(m.body),
    });
    sent.push({ ...m, messageId: receipt.messageId, offset: receipt.offset });
  }
  return sent;
}

// Acks every message; returns the acked ids.
export async function ackAll(consumer, messages) {
  const acks = [];
  for (const message of messages) {
    await consumer.ack(message);
    acks.push(message.messageId);
  }
  return acks;
}

export function describe(message) {
  return {
    messageId: message.messageId,
    topic: message.topic,
    tag: message.tag ?? null,
    keys: message.keys,
    messageGroup: message.messageGroup ?? null,
    body: message.body.toString('utf8'),
    properties: Object.fromEntries(message.properties),
    deliveryAttempt: message.deliveryAttempt,
    receiptHandle: message.receiptHandle,
    corrupted: message.corrupted ?? false,
    bornTimestamp: message.bornTimestamp?.toISOString() ?? null,
  };
}

export function errorInfo(error) {
  return { name: error?.constructor?.name ?? 'Error', code: error?.code ?? null, message: String(error?.message ?? error) };
}

// Prints the scenario's result as one JSON document and exits (client timers would keep node alive).
export function finish(result) {
  process.stdout.write(JSON.stringify(result));
  process.exit(0);
}
