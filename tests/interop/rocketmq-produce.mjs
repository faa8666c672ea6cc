// The official Producer alone: sends the sample orders and prints them with their message ids,
// for a consumer on the other side (our C# SimpleConsumer). Args: topic
import { startProducer, sendOrders, finish } from './rocketmq-common.mjs';

const [ topic ] = process.argv.slice(2);
const producer = await startProducer(topic);
const sent = await sendOrders(producer, topic);
await producer.shutdown();
finish({ sent });
