// Runs the official Apache RocketMQ Node client (rocketmq-client-nodejs) as a producer against
// the endpoint in argv[2]: startup (route + telemetry), one send, shutdown. Prints the receipt.
// Used to prove our .proto files and signing agree with the official client's wire format.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Producer } = require('rocketmq-client-nodejs');

const [endpoints, topic] = process.argv.slice(2);
const silent = { info() {}, warn() {}, error() {}, debug() {} };
const producer = new Producer({
  endpoints,
  namespace: 'ns-interop',
  topics: [topic],
  requestTimeout: 3000,
  sessionCredentials: { accessKey: 'AK-interop', accessSecret: 'secret-interop', securityToken: 'sts-interop' },
  logger: silent,
});
await producer.startup();
const receipt = await producer.send({
  topic,
  tag: 'created',
  keys: ['order-1', 'customer-9'],
  properties: new Map([['region', 'eu']]),
  body: Buffer.from('{"order":1}'),
});
await producer.shutdown();
process.stdout.write(JSON.stringify({ messageId: receipt.messageId, offset: receipt.offset }));
