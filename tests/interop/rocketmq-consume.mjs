// The official SimpleConsumer alone: receives at least `expected` messages that another
// producer (our C# Producer) sent, acks each and prints them. Args: topic group expected
import { startSimpleConsumer, receiveAtLeast, ackAll, describe, finish } from './rocketmq-common.mjs';

const [ topic, group, expectedArg ] = process.argv.slice(2);
const consumer = await startSimpleConsumer(group, { [topic]: '*' });
const received = await receiveAtLeast(consumer, Number(expectedArg));
const acks = await ackAll(consumer, received);
await consumer.shutdown();
finish({ received: received.map(describe), acks });
