// Sends N order messages of a given body size with Apache's official Node producer (tag
// "created", one key each), for load-independent measurements (hack/callgrind-per-event.sh).
// Usage: ROCKETMQ_ENDPOINT=host:port node produce-orders.mjs <topic> <count> [bodyBytes]
import { startProducer, finish } from './rocketmq-common.mjs';

const [topic, countText, bytesText] = process.argv.slice(2);
const count = Number(countText);
const head = '{"orderId":"order-000001","customer":"c-42","restaurant":"r-7","items":[{"sku":"pizza","qty":2},{"sku":"cola","qty":1}],"total":23.5,"note":"';
const body = Buffer.from(head + 'x'.repeat(Math.max(0, Number(bytesText ?? 1024) - head.length - 2)) + '"}');
const producer = await startProducer(topic);
for (let sent = 0; sent < count; sent += 64) {
  const batch = [];
  for (let i = sent; i < Math.min(count, sent + 64); i++) {
    batch.push(producer.send({ topic, tag: 'created', keys: [`order-${i}`], body }));
  }
  await Promise.all(batch);
}
await producer.shutdown();
finish({ sent: count });
