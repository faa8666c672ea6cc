// Decodes one protobuf message with the official generated code shipped in rocketmq-client-nodejs.
// argv[2] = type name in apache.rocketmq.v2 (service_pb or definition_pb); stdin = base64 bytes.
// Prints the message as JSON (toObject), proving our encoding matches the official field numbers.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const service = require('rocketmq-client-nodejs/proto/apache/rocketmq/v2/service_pb');
const definition = require('rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb');

const typeName = process.argv[2];
const type = service[typeName] ?? definition[typeName];
if (!type) {
  throw new Error(`unknown type ${typeName}`);
}

const bytes = Buffer.from(readFileSync(0, 'utf8').trim(), 'base64');
process.stdout.write(JSON.stringify(type.deserializeBinary(new Uint8Array(bytes)).toObject()));
