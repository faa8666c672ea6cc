// The checks kube-apiserver runs when a CustomResourceDefinition is created, as far as they can
// run without an API server, in its order and with its field paths. Sources, all under
// kubernetes/kubernetes staging/src/k8s.io/apiextensions-apiserver/pkg/:
// - names, printer columns, the OpenAPI checks and CEL compilation and cost:
//   apis/apiextensions/validation/validation.go
// - structural schema: apiserver/schema/validation.go (ValidateStructural)
// - every default validated literally, nested defaults not applied first, against its node's
//   schema and then its node's (and nested) CEL rules: apiserver/schema/defaulting/validation.go
// Each check reports { path, message, check } where check names the rule it enforces.
// Also ours, not the API server's: a printer column whose JSONPath does not resolve against
// the schema is accepted by the API server, but kubectl silently prints <none>.
//
// stdin:  [ { "id", "crd": { ...CustomResourceDefinition... } } ]
// stdout: [ { "id", "errors": [ { "path", "message", "check" } ], "costs": { "<version>": <estimated total> } } ]
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { compileRules, declType, evaluateRules, CRD_COST_LIMIT, RULE_COST_LIMIT } from './crd-cel.mjs';
import { readStdinJson } from './stdin-json.mjs';

let errors = [];
const report = (check, path, message) => errors.push({ path, message, check });

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const OPENAPI_TYPES = ['string', 'number', 'integer', 'boolean', 'array', 'object'];
const PRINTER_COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const PRINTER_COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const ROOT_FIELDS_WITH_STATUS = ['description', 'type', 'format', 'title', 'maximum', 'exclusiveMaximum', 'minimum',
  'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'multipleOf', 'required',
  'items', 'properties', 'externalDocs', 'example', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-validations'];
const UNSUPPORTED = { id: 'id', additionalItems: 'additionalItems', patternProperties: 'patternProperties',
  definitions: 'definitions', dependencies: 'dependencies', $ref: '$ref' };
const VALIDATION_REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];
const JUNCTORS = ['allOf', 'anyOf', 'oneOf', 'not'];

/** Every schema node reached through properties, additionalProperties and items, with its path. */
function* nodes(schema, path, level = 'root') {
  yield { schema, path, level };
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    yield* nodes(child, `${path}.properties[${name}]`, 'field');
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    yield* nodes(schema.additionalProperties, `${path}.additionalProperties`, 'field');
  }
  if (schema.items && !Array.isArray(schema.items)) {
    yield* nodes(schema.items, `${path}.items`, 'item');
  }
}

function checkNames(crd) {
  const names = crd.spec?.names ?? {};
  if (crd.metadata?.name !== `${names.plural}.${crd.spec?.group}`) {
    report('names', 'metadata.name', 'Invalid value: must be spec.names.plural+"."+spec.group');
  }
  for (const key of ['plural', 'singular']) {
    if (!DNS1035_LABEL.test(names[key] ?? '')) {
      report('names', `spec.names.${key}`, 'Invalid value: must be a DNS-1035 label');
    }
  }
  for (const key of ['shortNames', 'categories']) {
    (names[key] ?? []).forEach((name, i) => {
      if (!DNS1035_LABEL.test(name)) {
        report('names', `spec.names.${key}[${i}]`, `Invalid value: "${name}": must be a DNS-1035 label`);
      }
    });
  }
  if (names.kind === names.listKind) {
    report('names', 'spec.names.listKind', 'Invalid value: kind and listKind may not be the same');
  }
  if ((crd.spec?.versions ?? []).filter((v) => v.storage).length !== 1) {
    report('names', 'spec.versions', 'Invalid value: must have exactly one version marked as storage version');
  }
}

/** The schema node a simple JSONPath like .status.conditions[?(@.type=="Ready")].reason reaches. */
function resolveJsonPath(schema, jsonPath) {
  let node = schema;
  for (const step of jsonPath.replace(/^\./, '').split(/\.(?![^[]*\])/)) {
    const [, name, filter] = /^([^[]+)((?:\[.*\])?)$/.exec(step) ?? [];
    node = name === 'metadata' && node === schema ? { type: 'object', properties: { creationTimestamp: { type: 'string' }, name: { type: 'string' } } } : node?.properties?.[name];
    if (filter) {
      node = node?.type === 'array' ? node.items : undefined;
      const field = /@\.([A-Za-z0-9_]+)/.exec(filter)?.[1];
      if (field && !node?.properties?.[field]) {
        return undefined;
      }
    }
  }
  return node;
}

function checkPrinterColumns(version, path, schema) {
  (version.additionalPrinterColumns ?? []).forEach((column, i) => {
    const at = `${path}.additionalPrinterColumns[${i}]`;
    if (!PRINTER_COLUMN_TYPES.includes(column.type)) {
      report('printer-columns', `${at}.type`, `Unsupported value: "${column.type}": must be one of ${PRINTER_COLUMN_TYPES.join(',')}`);
    }
    if (column.format && !PRINTER_COLUMN_FORMATS.includes(column.format)) {
      report('printer-columns', `${at}.format`, `Unsupported value: "${column.format}": must be one of ${PRINTER_COLUMN_FORMATS.join(',')}`);
    }
    if (!column.jsonPath?.startsWith('.')) {
      report('printer-columns', `${at}.JSONPath`, 'Invalid value: must be a simple json path starting with .');
    } else if (!resolveJsonPath(schema, column.jsonPath)) {
      report('printer-column-resolves', `${at}.jsonPath`, `Invalid value: "${column.jsonPath}": reaches no field of the schema (kubectl would print <none>)`);
    }
  });
}

/** The OpenAPI checks of validation.go (ValidateCustomResourceDefinitionOpenAPISchema and specStandardValidatorV3). */
function checkOpenApi(root, path, statusEnabled) {
  if (statusEnabled) {
    const extra = Object.keys(root).filter((key) => !ROOT_FIELDS_WITH_STATUS.includes(key));
    if (extra.length > 0) {
      report('openapi', path, `Invalid value: only ${ROOT_FIELDS_WITH_STATUS.join(', ')} are allowed at the root of the schema if the status subresource is enabled (found ${extra.join(', ')})`);
    }
  }
  for (const { schema, path: at, level } of nodes(root, path)) {
    if (schema.type !== undefined && !OPENAPI_TYPES.includes(schema.type)) {
      report('openapi', `${at}.type`, `Unsupported value: "${schema.type}"`);
    }
    for (const [key, name] of Object.entries(UNSUPPORTED)) {
      if (schema[key] !== undefined) {
        report('openapi', `${at}.${key}`, `Forbidden: ${name} is not supported`);
      }
    }
    if (schema.uniqueItems === true) {
      report('openapi', `${at}.uniqueItems`, 'Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic');
    }
    if (schema.properties && schema.additionalProperties !== undefined && schema.additionalProperties !== true) {
      report('openapi', `${at}.additionalProperties`, 'Forbidden: additionalProperties and properties are mutual exclusive');
    }
    if (schema['x-kubernetes-preserve-unknown-fields'] === false) {
      report('openapi', `${at}.x-kubernetes-preserve-unknown-fields`, 'Invalid value: must be true or undefined');
    }
    if (level === 'root') {
      for (const meta of ['metadata', 'apiVersion', 'kind']) {
        for (const inner of schema.properties?.[meta] ? nodes(schema.properties[meta], `${at}.properties[${meta}]`) : []) {
          if (inner.schema.default !== undefined) {
            report('openapi', `${inner.path}.default`, `Forbidden: must not be set in top-level ${meta}`);
          }
        }
      }
    }
    checkListAndMapTypes(schema, at);
    checkRuleFields(schema, at);
  }
}

function checkListAndMapTypes(schema, at) {
  const listType = schema['x-kubernetes-list-type'];
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  if (listType !== undefined && schema.type !== 'array') {
    report('list-type', `${at}.type`, 'Invalid value: must be array if x-kubernetes-list-type is specified');
  }
  if (listType !== undefined && !['atomic', 'set', 'map'].includes(listType)) {
    report('list-type', `${at}.x-kubernetes-list-type`, `Unsupported value: "${listType}"`);
  }
  if (keys.length > 0 && listType !== 'map') {
    report('list-type', `${at}.x-kubernetes-list-type`, 'Invalid value: must be map if x-kubernetes-list-map-keys is non-empty');
  }
  if (listType === 'map') {
    const items = schema.items ?? {};
    if (keys.length === 0) {
      report('list-type', `${at}.x-kubernetes-list-map-keys`, 'Required value: must not be empty if x-kubernetes-list-type is map');
    }
    if (items.type !== 'object') {
      report('list-type', `${at}.items.type`, "Invalid value: must be object if parent array's x-kubernetes-list-type is map");
    }
    for (const key of keys) {
      const property = items.properties?.[key];
      if (!property) {
        report('list-type', `${at}.x-kubernetes-list-map-keys`, 'Invalid value: entries must all be names of item properties');
      } else if (property.type === 'array' || property.type === 'object') {
        report('list-type', `${at}.items.properties[${key}].type`, "Invalid value: must be a scalar type if parent array's x-kubernetes-list-type is map");
      } else if (!(items.required ?? []).includes(key) && property.default === undefined) {
        report('list-type', `${at}.items.properties[${key}].default`, 'Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property');
      }
    }
  }
  const mapType = schema['x-kubernetes-map-type'];
  if (mapType !== undefined && (schema.type !== 'object' || !['atomic', 'granular'].includes(mapType))) {
    report('map-type', `${at}.x-kubernetes-map-type`, 'Invalid value: must be atomic or granular, on an object');
  }
}

function checkRuleFields(schema, at) {
  (schema['x-kubernetes-validations'] ?? []).forEach((rule, i) => {
    const ruleAt = `${at}.x-kubernetes-validations[${i}]`;
    if (!rule.rule?.trim()) {
      report('rule-fields', `${ruleAt}.rule`, 'Required value: rule is not specified');
    } else if (rule.message !== undefined && !rule.message.trim()) {
      report('rule-fields', `${ruleAt}.message`, 'Invalid value: message must be non-empty if specified');
    } else if (/[\n\r]/.test(rule.message?.trim() ?? '')) {
      report('rule-fields', `${ruleAt}.message`, 'Invalid value: message must not contain line breaks');
    } else if (/[\n\r]/.test(rule.rule.trim()) && !rule.message?.trim()) {
      report('rule-fields', `${ruleAt}.message`, 'Required value: message must be specified if rule contains line breaks');
    }
    if (rule.reason !== undefined && !VALIDATION_REASONS.includes(rule.reason)) {
      report('rule-fields', `${ruleAt}.reason`, `Unsupported value: "${rule.reason}"`);
    }
    if (rule.messageExpression !== undefined) {
      report('rule-fields', `${ruleAt}.messageExpression`, 'Forbidden: this checker has no cost model for messageExpression; use message');
    }
  });
}

/** Structural schema rules (schema/validation.go ValidateStructural). */
function checkStructural(root, path) {
  for (const { schema, path: at, level } of nodes(root, path)) {
    const exempt = schema['x-kubernetes-int-or-string'] === true || schema['x-kubernetes-preserve-unknown-fields'] === true;
    if (schema.type === undefined && !exempt) {
      const where = { root: 'at the root', item: 'for specified array items', field: 'for specified object fields' }[level];
      report('structural', `${at}.type`, `Required value: must not be empty ${where}`);
    }
    if (level === 'root' && schema.type !== undefined && schema.type !== 'object') {
      report('structural', `${at}.type`, 'Invalid value: must be object at the root');
    }
    if (schema.type === 'array' && !schema.items) {
      report('structural', `${at}.items`, 'Required value: must be specified');
    }
    if (level === 'root' && schema.additionalProperties !== undefined) {
      report('structural', `${at}.additionalProperties`, 'Forbidden: must not be used at the root');
    }
    if (schema['x-kubernetes-int-or-string'] && schema['x-kubernetes-preserve-unknown-fields']) {
      report('structural', `${at}.x-kubernetes-preserve-unknown-fields`, 'Invalid value: must be false if x-kubernetes-int-or-string is true');
    }
    if (level === 'root' && schema.properties?.metadata) {
      const { type, properties = {}, ...rest } = schema.properties.metadata;
      const named = Object.keys(properties).filter((name) => name !== 'name' && name !== 'generateName');
      if (type !== 'object' || named.length > 0 || Object.keys(rest).length > 0) {
        report('structural', `${at}.properties[metadata]`, 'Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified');
      }
    }
    if (schema.pattern !== undefined) {
      try {
        new RegExp(schema.pattern, 'u');
      } catch (e) {
        report('structural', `${at}.pattern`, `Invalid value: must be a valid regular expression, but isn't: ${e.message}`);
      }
    }
    for (const junctor of JUNCTORS) {
      const branches = junctor === 'not' ? (schema.not ? [schema.not] : []) : schema[junctor] ?? [];
      const intOrString = junctor === 'anyOf' && branches.length === 2 && branches[0].type === 'integer' && branches[1].type === 'string'
        && branches.every((b) => Object.keys(b).length === 1);
      branches.forEach((branch, i) => {
        if (!intOrString) {
          checkValueValidation(branch, junctor === 'not' ? `${at}.not` : `${at}.${junctor}[${i}]`);
        }
      });
    }
  }
}

/** Inside allOf/anyOf/oneOf/not only value validations may appear (validateNestedValueValidation). */
function checkValueValidation(schema, at) {
  const forbidden = { type: 'must be empty to be structural', default: 'must be undefined to be structural', title: 'must be empty to be structural',
    description: 'must be empty to be structural', nullable: 'must be false to be structural', additionalProperties: 'must be undefined to be structural',
    'x-kubernetes-preserve-unknown-fields': 'must be false to be structural', 'x-kubernetes-embedded-resource': 'must be false to be structural',
    'x-kubernetes-int-or-string': 'must be false to be structural', 'x-kubernetes-list-map-keys': 'must be empty to be structural',
    'x-kubernetes-list-type': 'must be undefined to be structural', 'x-kubernetes-map-type': 'must be undefined to be structural',
    'x-kubernetes-validations': 'must be empty to be structural' };
  for (const [key, detail] of Object.entries(forbidden)) {
    if (schema[key] !== undefined && schema[key] !== false) {
      report('structural', `${at}.${key}`, `Forbidden: ${detail}`);
    }
  }
  if (schema.properties?.metadata) {
    report('structural', `${at}.properties[metadata]`, 'Forbidden: must not be specified in a nested context');
  }
}

/** Fields of value its schema does not know, which pruning would drop (pruning/algorithm.go). */
function unknownFields(schema, value, at, out) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => unknownFields(schema?.items, item, `${at}[${i}]`, out));
  } else if (value && typeof value === 'object' && !schema?.['x-kubernetes-preserve-unknown-fields']) {
    const values = typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    for (const [key, child] of Object.entries(value)) {
      const childSchema = schema?.properties?.[key] ?? values;
      if (childSchema) {
        unknownFields(childSchema, child, `${at}.${key}`, out);
      } else {
        out.push(`${at}.${key}`);
      }
    }
  }
}

/** Every default, literally: pruned, valid against its node's schema, then its node's CEL rules (defaulting/validation.go). */
function checkDefaults(root, path) {
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false });
  addFormats(ajv);
  const visit = (schema, at) => {
    if (schema.default !== undefined) {
      const unknown = [];
      unknownFields(schema, schema.default, 'default', unknown);
      if (unknown.length > 0) {
        report('defaults', `${at}.default`, `Invalid value: must not have unknown fields (${unknown.join(', ')})`);
      } else if (!ajv.validate(schema, structuredClone(schema.default))) {
        for (const e of ajv.errors) {
          report('defaults', `${at}.default${e.instancePath.replaceAll('/', '.')}`, `Invalid value: ${e.message}`);
        }
      } else {
        const celErrors = [];
        evaluateRules(schema, schema.default, 'default', celErrors);
        for (const e of celErrors) {
          report('defaults', `${at}.${e.path}`, `Invalid value: ${e.message}`);
        }
      }
    }
    // defaults below additionalProperties are not followed: the API server forbids them there
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
      visit(child, `${at}.properties[${name}]`);
    }
    if (schema.items && !Array.isArray(schema.items)) {
      visit(schema.items, `${at}.items`);
    }
  };
  visit(root, path);
}

/** How the API server words a cost over its limit (validation.go getCostErrorMessage). */
function exceeds(name, cost, limit) {
  const factor = cost / limit;
  const shown = factor > 100 ? 'more than 100x' : factor < 1.5 ? `${factor.toFixed(6)}x` : `${factor.toFixed(1)}x`;
  return `Forbidden: ${name} exceeds budget by factor of ${shown} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}

/** Every rule compiles against its node's type, and its estimated cost stays in the API server's budget. */
function checkRules(root, path) {
  let total = 0;
  const visit = (schema, at, cardinality, isResourceRoot) => {
    const rules = schema['x-kubernetes-validations'] ?? [];
    compileRules(schema, isResourceRoot).forEach((compiled, i) => {
      const ruleAt = `${at}.x-kubernetes-validations[${i}].rule`;
      if (compiled.error) {
        report('cel-compiles', ruleAt, `Invalid value: "${rules[i].rule}": ${compiled.error}`);
        return;
      }
      const cost = compiled.cost * cardinality;
      total += cost;
      if (cost > RULE_COST_LIMIT) {
        report('cel-cost', ruleAt, exceeds('estimated rule cost', cost, RULE_COST_LIMIT));
      }
    });
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
      visit(child, `${at}.properties[${name}]`, cardinality, child['x-kubernetes-embedded-resource'] === true);
    }
    const values = schema.additionalProperties;
    if (values && typeof values === 'object') {
      visit(values, `${at}.additionalProperties`, cardinality * (declType(schema)?.maxElements ?? Infinity), values['x-kubernetes-embedded-resource'] === true);
    }
    if (schema.items && !Array.isArray(schema.items)) {
      visit(schema.items, `${at}.items`, cardinality * (declType(schema)?.maxElements ?? Infinity), schema.items['x-kubernetes-embedded-resource'] === true);
    }
  };
  visit(root, path, 1, true);
  if (total > CRD_COST_LIMIT) {
    report('cel-cost', path, exceeds('x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema', total, CRD_COST_LIMIT));
  }
  return total;
}

function checkCrd(crd) {
  errors = [];
  checkNames(crd);
  const costs = {};
  (crd.spec?.versions ?? []).forEach((version, i) => {
    const path = `spec.versions[${i}]`;
    const schema = version.schema?.openAPIV3Schema;
    if (!schema) {
      report('openapi', `${path}.schema.openAPIV3Schema`, 'Required value: schemas are required');
      return;
    }
    const schemaPath = `${path}.schema.openAPIV3Schema`;
    checkPrinterColumns(version, path, schema);
    const before = errors.length;
    checkOpenApi(schema, schemaPath, version.subresources?.status !== undefined);
    checkStructural(schema, schemaPath);
    // As in validation.go: defaults are validated only on a structural schema, and rules are
    // compiled only when the defaults are valid too.
    if (errors.length === before) {
      checkDefaults(schema, schemaPath);
    }
    if (errors.length === before) {
      costs[version.name] = checkRules(schema, schemaPath);
    }
  });
  return { errors, costs };
}

const input = await readStdinJson();
process.stdout.write(JSON.stringify(input.map(({ id, crd }) => ({ id, ...checkCrd(crd) }))));
