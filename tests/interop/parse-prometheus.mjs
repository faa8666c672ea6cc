// Parses Prometheus text exposition (stdin) with parse-prometheus-text-format, a port of the
// official Prometheus Python client's parser; prints the metric families as JSON (prom2json's
// shape) or exits non-zero with the parser's error.
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

const chunks = [];
for await (const chunk of process.stdin) {
  chunks.push(chunk);
}
try {
  process.stdout.write(JSON.stringify(parsePrometheusTextFormat(Buffer.concat(chunks).toString('utf8'))));
} catch (error) {
  process.stderr.write(`not valid Prometheus text: ${error.message}\n`);
  process.exit(1);
}
