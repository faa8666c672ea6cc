// The CEL side of a CustomResourceDefinition's x-kubernetes-validations, set up the way
// kube-apiserver sets it up, so that tests can compile, cost and evaluate rules offline.
// Sources (kubernetes/kubernetes unless named):
// - schema node -> CEL type: staging/src/k8s.io/apiserver/pkg/cel/common/schemas.go (SchemaDeclType),
//   sizes from staging/src/k8s.io/apiserver/pkg/cel/limits.go, property names escaped as in
//   staging/src/k8s.io/apiserver/pkg/cel/escaping.go;
// - a rule is type-checked against the type of the node it sits on, `self` bound to it, and must
//   yield a bool: staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel/compilation.go;
// - its cost is cel-go's static estimate (crd-cel-cost.mjs), which check-crd.mjs multiplies by
//   how often the node can occur in one object and holds against the API server's limits
//   (staging/src/k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation/validation.go,
//   getExpressionCost, StaticEstimatedCostLimit, StaticEstimatedCRDCostLimit).
// The interpreter is @marcbachmann/cel-js. Like cel-go it raises "no such key" when a rule reads
// an absent field, keeps int and double apart, has no `string in string` overload and refuses a
// field the declared type does not have. It does not have Kubernetes' extension libraries
// (quantity, url, ip, ...): a rule using them fails here and must be checked by other means.
import { Environment } from '@marcbachmann/cel-js';
import { analyse } from './crd-cel-cost.mjs';

const MAX_REQUEST_SIZE_BYTES = 3 * 1024 * 1024;
export const RULE_COST_LIMIT = 10_000_000;
export const CRD_COST_LIMIT = 100_000_000;

const MIN_STRING_SIZE = 2;
const MIN_BOOL_SIZE = 4;
const MIN_NUMBER_SIZE = 1;
const MAX_DATETIME_SIZE_JSON = 32;
const MIN_DATETIME_SIZE_JSON = 21;
const JSON_DATE_SIZE = 12;

const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function',
  'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

/** The CEL identifier of a property, or undefined when CEL cannot address it. */
function escapeProperty(name) {
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) {
    return undefined;
  }
  if (RESERVED.has(name)) {
    return `__${name}__`;
  }
  return name.replaceAll('__', '__underscores__').replaceAll('.', '__dot__').replaceAll('-', '__dash__').replaceAll('/', '__slash__');
}

const scalar = (cel, minSize, maxElements = 0) => ({ kind: 'scalar', cel, minSize, maxElements });
// a string without maxLength may fill the whole request, less its quotes
const LONGEST_STRING = MAX_REQUEST_SIZE_BYTES - 2;

/** The CEL type of a schema node (undefined when CEL cannot see it), with its size bounds. */
export function declType(schema, isResourceRoot = false) {
  if (!schema || typeof schema !== 'object') {
    return undefined;
  }
  if (schema['x-kubernetes-int-or-string']) {
    return scalar('dyn', 1, schema.maxLength != null ? schema.maxLength * 4 : LONGEST_STRING);
  }
  const node = isResourceRoot ? withTypeAndObjectMeta(schema) : schema;
  switch (node.type) {
    case 'array': {
      const items = declType(node.items, node.items?.['x-kubernetes-embedded-resource'] === true);
      if (!items) {
        return undefined;
      }
      const maxItems = node.maxItems ?? Math.floor((MAX_REQUEST_SIZE_BYTES - 2) / (items.minSize + 1));
      return { kind: 'list', elem: items, maxElements: maxItems, minSize: 2 };
    }
    case 'object': {
      const values = node.additionalProperties;
      if (values && typeof values === 'object') {
        const elem = declType(values, values['x-kubernetes-embedded-resource'] === true);
        if (!elem) {
          return undefined;
        }
        const maxProperties = node.maxProperties ?? Math.floor((MAX_REQUEST_SIZE_BYTES - 2) / (elem.minSize + 6));
        // Map keys are the apiserver's plain StringType, which declares no size (MaxElements 0).
        return { kind: 'map', key: scalar('string', MIN_STRING_SIZE), elem, maxElements: maxProperties, minSize: 2 };
      }
      const required = new Set(node.required ?? []);
      const fields = new Map();
      let minSize = 2;
      for (const [name, property] of Object.entries(node.properties ?? {})) {
        const type = declType(property, property['x-kubernetes-embedded-resource'] === true);
        if (!type) {
          continue;
        }
        const escaped = escapeProperty(name);
        if (escaped) {
          fields.set(escaped, { name, type });
        }
        if (required.has(name) && property.default === undefined) {
          minSize += name.length + type.minSize + 4;
        }
      }
      return { kind: 'object', fields, minSize, maxElements: 0 };
    }
    case 'string':
      switch (node.format) {
        case 'byte':
          return scalar('bytes', MIN_STRING_SIZE, node.maxLength ?? LONGEST_STRING);
        case 'date':
          return scalar('google.protobuf.Timestamp', JSON_DATE_SIZE, JSON_DATE_SIZE);
        case 'date-time':
          return scalar('google.protobuf.Timestamp', MIN_DATETIME_SIZE_JSON, MAX_DATETIME_SIZE_JSON);
        case 'duration':
          throw new Error('format: duration is not supported by this checker');
        default: {
          const longestEnum = Math.max(0, ...(node.enum ?? []).filter((v) => typeof v === 'string').map((v) => v.length));
          const max = node.maxLength != null ? node.maxLength * 4 : node.enum?.length ? longestEnum : LONGEST_STRING;
          return scalar('string', MIN_STRING_SIZE, max);
        }
      }
    case 'boolean':
      return scalar('bool', MIN_BOOL_SIZE);
    case 'number':
      return scalar('double', MIN_NUMBER_SIZE);
    case 'integer':
      return scalar('int', MIN_NUMBER_SIZE);
    default:
      return undefined;
  }
}

/** apiVersion, kind, metadata.name and metadata.generateName are always visible at a resource root. */
function withTypeAndObjectMeta(schema) {
  const string = { type: 'string' };
  return {
    ...schema,
    properties: {
      ...schema.properties,
      apiVersion: string,
      kind: string,
      metadata: { type: 'object', properties: { name: string, generateName: string } },
    },
  };
}

/** A CEL environment in which `self` has the given type; each object type is a registered message. */
function environmentFor(selfType) {
  const env = new Environment();
  const classes = new Map();
  const register = (type) => {
    switch (type.kind) {
      case 'list':
        return `list<${register(type.elem)}>`;
      case 'map':
        return `map<string, ${register(type.elem)}>`;
      case 'object': {
        const fields = {};
        for (const [escaped, field] of type.fields) {
          fields[escaped] = register(field.type);
        }
        const name = `Object${classes.size + 1}`;
        const ctor = { [name]: class {} }[name];
        classes.set(type, ctor);
        env.registerType(name, { ctor, fields });
        return name;
      }
      default:
        return type.cel;
    }
  };
  env.registerVariable('self', register(selfType));
  return { env, classes };
}

/** A JSON value as CEL sees it through its type: objects as messages, ints as BigInt, timestamps as Date. */
function toCel(type, value, classes) {
  if (value === null || value === undefined || !type || (type.kind !== 'scalar' && typeof value !== 'object')) {
    return value;
  }
  switch (type.kind) {
    case 'object': {
      const message = new (classes.get(type))();
      for (const [escaped, field] of type.fields) {
        if (Object.hasOwn(value, field.name)) {
          message[escaped] = toCel(field.type, value[field.name], classes);
        }
      }
      return message;
    }
    case 'list':
      return value.map((item) => toCel(type.elem, item, classes));
    case 'map':
      return new Map(Object.entries(value).map(([k, v]) => [k, toCel(type.elem, v, classes)]));
    default:
      if ((type.cel === 'int' || type.cel === 'dyn') && Number.isInteger(value)) {
        return BigInt(value);
      }
      return type.cel === 'google.protobuf.Timestamp' ? new Date(value) : value;
  }
}

/**
 * Compiles every rule of one schema node as the API server does. Returns per rule either
 * { error } or { evaluate(value), cost } where cost is the estimate for one evaluation.
 */
export function compileRules(schema, isResourceRoot = false) {
  const selfType = declType(schema, isResourceRoot);
  if (!selfType) {
    const error = `rule declared on schema that does not support validation rules (type '${schema.type}')`;
    return (schema['x-kubernetes-validations'] ?? []).map(() => ({ error }));
  }
  const { env, classes } = environmentFor(selfType);
  return (schema['x-kubernetes-validations'] ?? []).map(({ rule }) => {
    const checked = env.check(rule);
    if (!checked.valid) {
      return { error: `compilation failed: ${checked.error.message.split('\n')[0]}` };
    }
    if (checked.type !== 'bool') {
      return { error: 'cel expression must evaluate to a bool' };
    }
    const program = env.parse(rule);
    let analysis;
    try {
      analysis = analyse(program.ast, selfType);
    } catch (e) {
      return { error: `this checker cannot estimate its cost: ${e.message}` };
    }
    if (analysis.undeclared.length > 0) {
      return { error: `compilation failed: undefined field '${analysis.undeclared[0]}'` };
    }
    return {
      evaluate: (value) => program({ self: toCel(selfType, value, classes) }),
      cost: analysis.cost,
    };
  });
}

/**
 * Evaluates the rules of schema on value, and of its children on the children value has, the
 * way the API server validates an object (and, at CRD creation, every literal default).
 */
export function evaluateRules(schema, value, path, errors, isResourceRoot = false) {
  if (value === undefined || value === null || !schema || typeof schema !== 'object') {
    return;
  }
  const shown = path || '<root>';
  const rules = schema['x-kubernetes-validations'] ?? [];
  compileRules(schema, isResourceRoot).forEach((compiled, i) => {
    const { rule, message } = rules[i];
    if (compiled.error) {
      errors.push({ path: shown, message: `rule ${rule}: ${compiled.error}`, by: 'cel' });
      return;
    }
    try {
      if (compiled.evaluate(value) !== true) {
        errors.push({ path: shown, message: message ?? `failed rule: ${rule}`, by: 'cel' });
      }
    } catch (e) {
      const reason = e.message.split('\n')[0];
      errors.push({ path: shown, message: `${reason[0].toLowerCase()}${reason.slice(1)} evaluating rule: ${rule}`, by: 'cel' });
    }
  });
  if (Array.isArray(value)) {
    value.forEach((item, i) => evaluateRules(schema.items, item, `${path}[${i}]`, errors));
  } else if (typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const values = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
      evaluateRules(schema.properties?.[key] ?? values, child, path ? `${path}.${key}` : key, errors);
    }
  }
}
