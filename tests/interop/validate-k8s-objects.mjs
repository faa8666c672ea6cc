// Validates Kubernetes objects against the published schemas (npm kubernetes-models,
// @kubernetes-models/knative and @kubernetes-models/keda). Reads a JSON array of objects on stdin and prints a JSON
// array of {kind, name, valid, error} in the same order.
import { readStdinJson } from './stdin-json.mjs';

async function modelClass(apiVersion, kind) {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const modulePath = group.endsWith('knative.dev')
    ? `@kubernetes-models/knative/${apiVersion}`
    : group === 'keda.sh'
      ? `@kubernetes-models/keda/${apiVersion}`
      : `kubernetes-models/${apiVersion}`;
  const module = await import(modulePath);
  const model = module[kind];
  if (!model) {
    throw new Error(`${modulePath} has no kind ${kind}`);
  }
  return model;
}

const results = [];
for (const object of await readStdinJson()) {
  const result = { kind: object.kind, name: object.metadata?.name ?? null, valid: false, error: null };
  try {
    const Model = await modelClass(object.apiVersion, object.kind);
    new Model(object).validate();
    result.valid = true;
  } catch (e) {
    result.error = e.message;
  }
  results.push(result);
}
process.stdout.write(JSON.stringify(results));
