// Parses Prometheus text exposition (stdin) with npm parse-prometheus-text-format and prints the
// metric families as JSON: [{ name, help, type, metrics: [{ labels, value }] }].
import { readFileSync } from 'node:fs';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

const parse = parsePrometheusTextFormat.default ?? parsePrometheusTextFormat;
process.stdout.write(JSON.stringify(parse(readFileSync(0, 'utf8'))));
