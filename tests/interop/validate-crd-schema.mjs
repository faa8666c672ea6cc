// Validates custom objects against a CustomResourceDefinition's own OpenAPI v3 schema, the way
// the API server would on `kubectl apply`:
// 1. structural schema checks (types, required, enum, pattern, bounds) with ajv, unknown
//    fields refused as kubectl's default strict field validation does;
// 2. the schema's defaults applied (ajv useDefaults), before
// 3. unless step 1 found a blocking error, every x-kubernetes-validations CEL rule compiled
//    against the type of its node and evaluated on the defaulted object, `self` bound to the
//    value the rule sits on (crd-cel.mjs).
//
// stdin:  { "crd": { ...CustomResourceDefinition... }, "version": "v1alpha1",
//           "objects": [ { "id": "...", "object": { ... } } ] }
// stdout: { "rules": [ { "path", "rule", "message" } ],
//           "results": [ { "id", "valid", "errors": [ { "path", "message", "by" } ], "defaulted" } ] }
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { evaluateRules } from './crd-cel.mjs';
import { readStdinJson } from './stdin-json.mjs';

const ANNOTATION_KEYWORDS = [
  'x-kubernetes-validations',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-embedded-resource',
];

const BLOCKING_KEYWORDS = ['type', 'required', 'enum', 'maxLength', 'maxItems', 'maxProperties'];

/** Deep copy of a CRD schema in which every object without a field list of its own refuses unknown fields. */
function withStrictFields(schema) {
  if (Array.isArray(schema)) {
    return schema.map(withStrictFields);
  }
  if (schema === null || typeof schema !== 'object') {
    return schema;
  }
  const copy = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'default' || k === 'enum' ? v : withStrictFields(v)]));
  if (copy.properties && copy.additionalProperties === undefined && !copy['x-kubernetes-preserve-unknown-fields']) {
    copy.additionalProperties = false;
  }
  return copy;
}

function findVersionSchema(crd, version) {
  const found = crd?.spec?.versions?.find((v) => v.name === version);
  if (!found?.schema?.openAPIV3Schema) {
    throw new Error(`the CRD has no openAPIV3Schema for version ${version}`);
  }
  return found.schema.openAPIV3Schema;
}

/** Every CEL rule in the schema with the path of the value it applies to. */
function collectRules(schema, path, out) {
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    out.push({ path: path || '<root>', rule: rule.rule, message: rule.message ?? rule.rule });
  }
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    collectRules(child, path ? `${path}.${name}` : name, out);
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    collectRules(schema.additionalProperties, `${path}[*]`, out);
  }
  if (schema.items) {
    collectRules(schema.items, `${path}[*]`, out);
  }
  return out;
}

function ajvErrorPath(error) {
  const base = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const extra = error.params?.additionalProperty ?? error.params?.missingProperty;
  return extra ? (base ? `${base}.${extra}` : extra) : base || '<root>';
}

const input = await readStdinJson();
const schema = findVersionSchema(input.crd, input.version);
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, strictTypes: false });
addFormats(ajv);
for (const keyword of ANNOTATION_KEYWORDS) {
  ajv.addKeyword({ keyword });
}
const validate = ajv.compile(withStrictFields(schema));
const rules = collectRules(schema, '', []);

const results = (input.objects ?? []).map(({ id, object }) => {
  const defaulted = structuredClone(object);
  const errors = [];
  if (!validate(defaulted)) {
    for (const e of validate.errors) {
      errors.push({ path: ajvErrorPath(e), message: `${e.message} ${JSON.stringify(e.params)}`, by: 'schema' });
    }
  }
  // As the API server does (apiextensions-apiserver pkg/registry/customresource/strategy.go,
  // hasBlockingErr): after a type, required, enum, maxLength, maxItems or maxProperties
  // violation the object lacks the shape its rules were written for, so no rule runs.
  if ((validate.errors ?? []).some((e) => BLOCKING_KEYWORDS.includes(e.keyword))) {
    errors.push({ path: '<root>', message: 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation', by: 'cel' });
  } else {
    evaluateRules(schema, defaulted, '', errors, true);
  }
  return { id, valid: errors.length === 0, errors, defaulted };
});
process.stdout.write(JSON.stringify({ rules, results }));
