// Validates Kubernetes, Knative and KEDA documents against the published schemas of the npm
// packages kubernetes-models, @kubernetes-models/knative and @kubernetes-models/keda.
//
// stdin:  JSON array of { "id": "<file>#<index>", "document": { ...a manifest... } }
// stdout: JSON array of { "id", "apiVersion", "kind", "valid", "errors": [ "<path> <message>" ] }
// A document whose apiVersion/kind has no published model is reported invalid, so nothing
// slips through unchecked; so is a field its type does not have (kubectl's strict field
// validation), found by k8s-known-fields.mjs.
import { unknownFields } from './k8s-known-fields.mjs';
import { readStdinJson } from './stdin-json.mjs';

const KNATIVE_GROUP_SUFFIX = '.knative.dev';
const KEDA_GROUP = 'keda.sh';

/** The module that exports the model class of apiVersion/kind, or null when malformed. */
function modulePathFor(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !/^[A-Za-z0-9]+$/.test(kind)) {
    return null;
  }
  const parts = apiVersion.split('/');
  if (parts.length === 1) {
    return `kubernetes-models/${parts[0]}/${kind}`;
  }
  if (parts.length !== 2) {
    return null;
  }
  const [group, version] = parts;
  const packageName = group.endsWith(KNATIVE_GROUP_SUFFIX) ? '@kubernetes-models/knative'
    : group === KEDA_GROUP ? '@kubernetes-models/keda'
      : 'kubernetes-models';
  return `${packageName}/${group}/${version}/${kind}`;
}

async function loadModel(apiVersion, kind) {
  const path = modulePathFor(apiVersion, kind);
  if (path === null) {
    return { error: `malformed apiVersion/kind: ${JSON.stringify(apiVersion)} ${JSON.stringify(kind)}` };
  }
  try {
    const module = await import(path);
    const model = module[kind];
    if (typeof model !== 'function') {
      return { error: `${path} exports no ${kind}` };
    }
    return { model, path };
  } catch (e) {
    return { error: `no published schema for ${apiVersion} ${kind} (${e.code ?? e.message})` };
  }
}

function describeErrors(error) {
  if (Array.isArray(error.errors) && error.errors.length > 0) {
    return error.errors.map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params ?? {})}`);
  }
  return [String(error.message ?? error)];
}

async function validateOne({ id, document }) {
  const apiVersion = document?.apiVersion;
  const kind = document?.kind;
  const result = { id, apiVersion, kind, valid: false, errors: [] };
  const { model, path, error } = await loadModel(apiVersion, kind);
  if (error) {
    result.errors.push(error);
    return result;
  }
  try {
    new model(document).validate();
  } catch (e) {
    result.errors.push(...describeErrors(e));
  }
  result.errors.push(...unknownFields(document, path, kind));
  result.valid = result.errors.length === 0;
  return result;
}

const input = await readStdinJson();
if (!Array.isArray(input)) {
  throw new Error('stdin must be a JSON array of { id, document }');
}
const results = [];
for (const item of input) {
  results.push(await validateOne(item));
}
process.stdout.write(JSON.stringify(results));
