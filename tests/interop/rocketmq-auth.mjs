// Signed requests (MQv2-HMAC-SHA1) from the official Producer with ROCKETMQ_ACCESS_KEY /
// ROCKETMQ_SECRET_KEY; prints the send result or the startup error. Args: topic
import { startProducer, errorInfo, finish } from './rocketmq-common.mjs';

const [ topic ] = process.argv.slice(2);
try {
  const producer = await startProducer(topic);
  const receipt = await producer.send({ topic, body: Buffer.from('signed') });
  await producer.shutdown();
  finish({ messageId: receipt.messageId, error: null });
} catch (error) {
  finish({ messageId: null, error: errorInfo(error.cause?.cause ?? error.cause ?? error) });
}
