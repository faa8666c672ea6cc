// Finds fields a Kubernetes/Knative document sets that its published type does not have,
// as kubectl's default strict field validation does on the server. The compiled validators
// of kubernetes-models allow unknown fields, so the field lists are read from the package's
// TypeScript declarations (one `export interface` per model, one quoted property per field).
import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';

const LEAF = { kind: 'leaf' };
const declarations = new Map();

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** Index of the bracket closing the one at `open`, counting {}, <> and (). */
function closingIndex(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if ('{<('.includes(text[i])) depth++;
    if ('}>)'.includes(text[i]) && text[i - 1] !== '=') depth--;
    if (depth === 0) return i;
  }
  throw new Error(`unbalanced brackets at ${open}`);
}

/** `"name"?: Type;` members of an interface body, as name → type text. */
function parseMembers(body) {
  const members = new Map();
  const member = /"([^"]+)"\??:\s*/g;
  let match;
  while ((match = member.exec(body)) !== null) {
    let i = member.lastIndex;
    let depth = 0;
    for (; i < body.length; i++) {
      if ('{<('.includes(body[i])) depth++;
      if ('}>)'.includes(body[i]) && body[i - 1] !== '=') depth--;
      if (body[i] === ';' && depth === 0) break;
    }
    members.set(match[1], body.slice(member.lastIndex, i).trim());
    member.lastIndex = i + 1;
  }
  return members;
}

/** The interfaces, imports and aliases one .d.ts file declares. */
function declarationsOf(file) {
  if (declarations.has(file)) return declarations.get(file);
  const text = stripComments(readFileSync(file, 'utf8'));
  const parsed = { file, interfaces: new Map(), imports: new Map(), aliases: new Map() };
  for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g)) {
    for (const name of m[1].split(',').map((n) => n.trim()).filter(Boolean)) parsed.imports.set(name, m[2]);
  }
  for (const m of text.matchAll(/export interface (\w+)[^{]*\{/g)) {
    const open = m.index + m[0].length - 1;
    parsed.interfaces.set(m[1], parseMembers(text.slice(open + 1, closingIndex(text, open))));
  }
  for (const m of text.matchAll(/export type \{([^}]*)\}/g)) {
    for (const pair of m[1].split(',')) {
      const [local, exported] = pair.split(' as ').map((s) => s.trim());
      if (exported) parsed.aliases.set(exported, local);
    }
  }
  declarations.set(file, parsed);
  return parsed;
}

function declarationFile(specifier, fromFile) {
  const js = specifier.startsWith('.')
    ? resolvePath(dirname(fromFile), specifier)
    : fileURLToPath(import.meta.resolve(specifier));
  return js.replace(/\.js$/, '') + '.d.ts';
}

/** What the type text `type` (written in `file`) allows: leaf, array, map or object with fields. */
function typeOf(type, file) {
  const array = /^Array<(.+)>$/s.exec(type);
  if (array) return { kind: 'array', of: typeOf(array[1].trim(), file) };
  const map = /^\{\s*\[key: string\]:\s*(.+?);?\s*\}$/s.exec(type);
  if (map) return { kind: 'map', of: typeOf(map[1].trim(), file) };
  if (!/^\w+$/.test(type)) return LEAF;
  const own = declarationsOf(file);
  const local = own.aliases.get(type) ?? type;
  if (own.interfaces.has(local)) {
    const members = own.interfaces.get(local);
    return members.size === 0 ? LEAF : { kind: 'object', name: local, file, members };
  }
  const from = own.imports.get(type);
  return from && from !== '@kubernetes-models/base' ? typeOf(type, declarationFile(from, file)) : LEAF;
}

function check(value, type, path, errors) {
  if (value === null || typeof value !== 'object' || type.kind === 'leaf') return;
  if (type.kind === 'array' && Array.isArray(value)) {
    value.forEach((item, i) => check(item, type.of, `${path}/${i}`, errors));
  } else if (type.kind === 'map' && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) check(item, type.of, `${path}/${key}`, errors);
  } else if (type.kind === 'object' && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (!type.members.has(key)) {
        errors.push(`${path}/${key} is not a field of ${type.name.replace(/^I/, '')}`);
      } else {
        check(item, typeOf(type.members.get(key), type.file), `${path}/${key}`, errors);
      }
    }
  }
}

/** Unknown-field errors of `document`, whose model module is `modulePath` exporting `kind`. */
export function unknownFields(document, modulePath, kind) {
  const file = declarationFile(modulePath, import.meta.filename ?? fileURLToPath(import.meta.url));
  const errors = [];
  check(document, typeOf(`I${kind}`, file), '', errors);
  return errors;
}
