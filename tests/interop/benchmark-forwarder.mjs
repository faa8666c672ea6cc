// Benchmark peer: the same job as our receive adapter, written with the official Node libraries.
// rocketmq-client-nodejs SimpleConsumer receives (batches of 16, 30 s invisible), each message becomes
// a CloudEvent (cloudevents SDK, binary mode) POSTed with node:http over keep-alive sockets, and is
// acked only after a 2xx. Up to `concurrency` messages in flight (concurrency/16 receive loops).
// Args: topic group sinkUrl [concurrency=64]. Env: ROCKETMQ_ENDPOINT. Runs until SIGTERM.
import http from 'node:http';
import { CloudEvent, HTTP } from 'cloudevents';
import { startSimpleConsumer } from './rocketmq-common.mjs';

const [ topic, group, sinkUrl, concurrencyArg = '64' ] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const batch = 16;
const sink = new URL(sinkUrl);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const source = `/apis/v1/namespaces/default/rocketmqsources/${group}#${topic}`;

function post(headers, body) {
  return new Promise((resolve, reject) => {
    const request = http.request({
      agent, method: 'POST', hostname: sink.hostname, port: sink.port, path: sink.pathname,
      headers: { ...headers, 'content-length': body.length },
    }, response => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    request.on('error', reject);
    request.end(body);
  });
}

function toCloudEvent(message) {
  const extensions = { rocketmqtopic: message.topic };
  if (message.tag) extensions.rocketmqtag = message.tag;
  if (message.keys?.length) extensions.rocketmqkeys = message.keys.join(' ');
  for (const [ key, value ] of message.properties ?? []) {
    const name = `rocketmqprop${key.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
    if (name !== 'rocketmqprop') extensions[name] = value;
  }
  return new CloudEvent({
    specversion: '1.0', id: message.messageId, source, type: 'dev.knative.rocketmq.event',
    subject: message.tag || undefined, time: message.bornTimestamp?.toISOString(),
    datacontenttype: 'application/json', data: message.body, ...extensions,
  }, false);
}

async function forward(consumer, message) {
  for (let attempt = 1; ; attempt++) {
    const { headers, body } = HTTP.binary(toCloudEvent(message));
    try {
      const status = await post(headers, body);
      if (status >= 200 && status < 300) {
        await consumer.ack(message);
        return;
      }
    } catch (error) {
      if (attempt >= 3) throw error;
    }
    if (attempt >= 3) return; // left invisible: RocketMQ redelivers it
  }
}

const consumer = await startSimpleConsumer(group, { [topic]: '*' }, 20000);
let stopping = false;
process.on('SIGTERM', () => { stopping = true; consumer.shutdown().finally(() => process.exit(0)); });

async function loop() {
  while (!stopping) {
    let messages = [];
    try {
      messages = await consumer.receive(batch, 30000);
    } catch (error) {
      if (!stopping) process.stderr.write(`receive failed: ${error.message}\n`);
      continue;
    }
    await Promise.all(messages.map(message => forward(consumer, message).catch(error =>
      process.stderr.write(`forward failed: ${error.message}\n`))));
  }
}

process.stdout.write(`forwarding ${topic} as ${group} to ${sinkUrl} with ${concurrency} in flight\n`);
await Promise.all(Array.from({ length: Math.max(1, Math.ceil(concurrency / batch)) }, loop));
