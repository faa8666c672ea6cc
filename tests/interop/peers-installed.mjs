// Prints the versions of the official peers the interop tests use, proving they are installed.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const peers = ['cloudevents', 'rocketmq-client-nodejs', 'kubernetes-models', '@kubernetes-models/knative'];
const versions = Object.fromEntries(peers.map((name) => [name, require(`${name}/package.json`).version]));
process.stdout.write(JSON.stringify(versions));
