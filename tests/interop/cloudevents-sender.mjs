// Emits CloudEvents built with the official JS SDK to a URL: each event in binary and in structured
// mode through the SDK's own emitter and HTTP transport, then all of them as one JSON batch.
// Prints what it sent (mode + the SDK's JSON form of each event) so the caller can compare.
// Usage: node cloudevents-sender.mjs <url>
import http from 'node:http';
import { CloudEvent, emitterFor, httpTransport, Mode } from 'cloudevents';

const url = process.argv[2];
const base = {
  source: '/apis/v1/namespaces/default/rocketmqsources/orders#orders',
  type: 'dev.knative.rocketmq.event',
  time: '2026-11-21T17:30:00.123Z',
};

// Header values from the JS SDK are sent as they are (it does not percent-encode), so binary-mode
// events keep to printable ASCII.
const binarySafe = [
  new CloudEvent({ ...base, id: 'js-json-1', datacontenttype: 'application/json', subject: 'order 42',
    data: { orderId: 42, items: ['pizza', 'cola'], paid: true }, rocketmqtopic: 'orders', count: 7, urgent: true }),
  new CloudEvent({ ...base, id: 'js-text-2', datacontenttype: 'text/plain', data: 'plain text body',
    dataschema: 'https://schemas.example.com/order.json', rocketmqkeys: 'k1 k2' }),
  new CloudEvent({ ...base, id: 'js-binary-3', datacontenttype: 'application/octet-stream',
    data: new Uint8Array([0, 1, 2, 250, 255, 10, 13]), count: -3 }),
];
// The SDK's HTTP transport cannot send a binary-mode event without data (it writes an undefined body),
// and its header values are not percent-encoded: these go in structured mode and in the batch only.
const structuredOnly = [
  new CloudEvent({ ...base, id: 'js-nodata-4', urgent: false }),
  new CloudEvent({ ...base, id: 'js-unicode-5', datacontenttype: 'application/json', subject: 'Bestellung für Jürgen 😀',
    data: { customer: 'Zoë', note: '中文 – 100% "quoted"' }, greeting: 'Grüße, 世界', count: 2147483647 }),
  new CloudEvent({ ...base, id: 'js-unicode-6', datacontenttype: 'text/plain; charset=utf-8', data: 'naïve café ☕' }),
];

async function emitAll(events, mode) {
  const emit = emitterFor(httpTransport(url), { mode });
  for (const event of events) {
    // The transport reports no status code; the receiver records refusals itself.
    await emit(event);
  }
}

function postBatch(events) {
  const body = JSON.stringify(events);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/cloudevents-batch+json; charset=utf-8' } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const sent = [];
await emitAll(binarySafe, Mode.BINARY);
binarySafe.forEach((event) => sent.push({ mode: 'binary', event: event.toJSON() }));
await emitAll([...binarySafe, ...structuredOnly], Mode.STRUCTURED);
[...binarySafe, ...structuredOnly].forEach((event) => sent.push({ mode: 'structured', event: event.toJSON() }));
const batch = [...binarySafe, ...structuredOnly];
await postBatch(batch);
batch.forEach((event) => sent.push({ mode: 'batch', event: event.toJSON() }));
process.stdout.write(JSON.stringify(sent));
