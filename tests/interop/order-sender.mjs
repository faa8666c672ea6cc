// Sends one food order as a CloudEvent built with the official JS SDK, in binary and in structured
// mode, to the food-delivery order service, and reads each reply event with the same SDK.
// Usage: node order-sender.mjs <url> <order-json>
// stdout: JSON array of { mode, status, reply: { id, type, source, subject, datacontenttype, data } | null, body }
import { CloudEvent, HTTP } from 'cloudevents';

const [url, orderJson] = process.argv.slice(2);
const order = JSON.parse(orderJson);
const results = [];
for (const mode of ['binary', 'structured']) {
  const event = new CloudEvent({
    id: `js-${mode}`,
    source: '/apis/v1/namespaces/food-delivery/rocketmqsources/orders#orders',
    type: 'dev.knative.rocketmq.event',
    subject: String(order.orderStatus),
    datacontenttype: 'application/json',
    data: order,
    rocketmqtag: String(order.orderStatus),
  });
  const message = mode === 'binary' ? HTTP.binary(event) : HTTP.structured(event);
  const response = await fetch(url, { method: 'POST', headers: message.headers, body: message.body });
  const body = await response.text();
  let reply = null;
  if (response.ok) {
    const received = HTTP.toEvent({ headers: Object.fromEntries(response.headers.entries()), body });
    const data = typeof received.data === 'string' ? JSON.parse(received.data) : received.data;
    reply = {
      id: received.id,
      type: received.type,
      source: received.source,
      subject: received.subject,
      datacontenttype: received.datacontenttype,
      data,
    };
  }
  results.push({ mode, status: response.status, reply, body: response.ok ? null : body });
}
process.stdout.write(JSON.stringify(results));
