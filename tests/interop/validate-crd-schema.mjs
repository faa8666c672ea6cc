// Validates custom objects against a CustomResourceDefinition's own OpenAPI v3 schema, the way
// the API server would on `kubectl apply`:
// 1. structural schema checks (types, required, enum, pattern, bounds) with ajv, unknown
//    fields refused as kubectl's default strict field validation does;
// 2. the schema's defaults applied (ajv useDefaults), before
// 3. every x-kubernetes-validations CEL rule evaluated with a CEL interpreter
//    (@marcbachmann/cel-js) on the defaulted object, `self` bound to the value the rule sits on.
//
// stdin:  { "crd": { ...CustomResourceDefinition... }, "version": "v1alpha1",
//           "objects": [ { "id": "...", "object": { ... } } ] }
// stdout: { "rules": [ { "path", "rule", "message" } ],
//           "results": [ { "id", "valid", "errors": [ { "path", "message", "by" } ], "defaulted" } ] }
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseCel } from '@marcbachmann/cel-js';

const ANNOTATION_KEYWORDS = [
  'x-kubernetes-validations',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-embedded-resource',
];

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
    out.push({ path: path || '<root>', rule: rule.rule, message: rule.message ?? rule.rule, compiled: parseCel(rule.rule) });
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

/** The value as CEL sees it: JSON integers of integer-typed fields become CEL ints (BigInt). */
function toCel(schema, value) {
  if (value === null || value === undefined) {
    return value;
  }
  if (schema?.type === 'integer' && Number.isInteger(value)) {
    return BigInt(value);
  }
  if (Array.isArray(value)) {
    return value.map((item) => toCel(schema?.items, item));
  }
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(schema?.properties?.[k] ?? schema?.additionalProperties, v)]));
  }
  return value;
}

/** Evaluates the CEL rules of schema on value and of its children on theirs (present values only). */
function evaluateRules(schema, value, path, errors) {
  if (value === undefined || value === null || schema === null || typeof schema !== 'object') {
    return;
  }
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    const shown = path || '<root>';
    try {
      if (parseCel(rule.rule)({ self: toCel(schema, value) }) !== true) {
        errors.push({ path: shown, message: rule.message ?? `failed rule: ${rule.rule}`, by: 'cel' });
      }
    } catch (e) {
      errors.push({ path: shown, message: `rule ${rule.rule} could not be evaluated: ${e.message}`, by: 'cel' });
    }
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => evaluateRules(schema.items, item, `${path}[${i}]`, errors));
    return;
  }
  if (typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const childSchema = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      evaluateRules(childSchema, child, path ? `${path}.${key}` : key, errors);
    }
  }
}

function ajvErrorPath(error) {
  const base = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const extra = error.params?.additionalProperty ?? error.params?.missingProperty;
  return extra ? (base ? `${base}.${extra}` : extra) : base || '<root>';
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const input = JSON.parse(await readStdin());
const schema = findVersionSchema(input.crd, input.version);
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, strictTypes: false });
addFormats(ajv);
for (const keyword of ANNOTATION_KEYWORDS) {
  ajv.addKeyword({ keyword });
}
const validate = ajv.compile(withStrictFields(schema));
const rules = collectRules(schema, '', []).map(({ path, rule, message }) => ({ path, rule, message }));

const results = (input.objects ?? []).map(({ id, object }) => {
  const defaulted = structuredClone(object);
  const errors = [];
  if (!validate(defaulted)) {
    for (const e of validate.errors) {
      errors.push({ path: ajvErrorPath(e), message: `${e.message} ${JSON.stringify(e.params)}`, by: 'schema' });
    }
  }
  evaluateRules(schema, defaulted, '', errors);
  return { id, valid: errors.length === 0, errors, defaulted };
});
process.stdout.write(JSON.stringify({ rules, results }));
