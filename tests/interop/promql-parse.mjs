// Parses each PromQL expression of a JSON array (stdin) with Prometheus's own grammar
// (npm @prometheus-io/lezer-promql) and prints, per expression, the error positions (an empty
// list: it parses) and the node names of its tree, as JSON: [{ errors: [..], nodes: [..] }].
import { readFileSync } from 'node:fs';
import { parser } from '@prometheus-io/lezer-promql';

const expressions = JSON.parse(readFileSync(0, 'utf8'));
const results = expressions.map((expression) => {
  const errors = [];
  const nodes = [];
  parser.parse(expression).iterate({
    enter(node) {
      if (node.type.isError) {
        errors.push(node.from);
      }
      nodes.push(node.name);
    },
  });
  return { errors, nodes };
});
process.stdout.write(JSON.stringify(results));
