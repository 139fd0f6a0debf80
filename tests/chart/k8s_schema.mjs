// Validates Kubernetes objects against the Kubernetes 1.30 API schema, in the form of
// kubernetes-types (TypeScript declarations generated from Kubernetes' OpenAPI spec) checked
// by the TypeScript compiler: every object becomes a typed literal, so a wrong type, a missing
// required field, an unknown field (excess property) or an unknown kind/apiVersion is an error.
// Returns errors as {object, path, message}; never throws for a bad object.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { testsDir } from './helm.mjs';

const require = createRequire(import.meta.url);
function resolve(name) {
  try {
    return require.resolve(name);
  } catch (e) {
    throw new Error(`${name} is not installed in tests/chart: run scripts/install-deps.sh (${e.message})`);
  }
}
const ts = require(resolve('typescript'));
const typesDir = path.dirname(resolve('kubernetes-types/package.json'));
export const kubernetesVersion = JSON.parse(fs.readFileSync(path.join(typesDir, 'package.json'), 'utf8')).version;

// "apps/v1" -> "apps/v1"; "v1" -> "core/v1"; "policy/v1" -> "policy/v1"; "networking.k8s.io/v1" -> "networking/v1".
export function moduleFor(apiVersion) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  return `${group.split('.')[0]}/${version}`;
}

// Type-checks `lines` (TypeScript declarations against kubernetes-types) after one
// `import type * as <alias>` per entry of `modules` (module path -> alias), as an in-memory file
// `baseName` beside node_modules so "kubernetes-types/..." resolves. Returns
// [{ line, message }] with `line` the 0-based index into `lines`, or no line (and `imports` true
// when the error is in the imports) for errors outside them.
export function typeCheck(modules, lines, baseName) {
  const header = [...modules].map(([mod, alias]) => `import type * as ${alias} from "kubernetes-types/${mod}";`);
  const source = [...header, ...lines].join('\n');
  const fileName = path.join(testsDir, baseName);
  const options = {
    strict: true, noEmit: true, skipLibCheck: true, types: [], lib: ['lib.es2020.d.ts'],
    target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    name === fileName ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ').slice(0, 400);
    if (!d.file || d.file.fileName !== fileName) return { message };
    const line = d.file.getLineAndCharacterOfPosition(d.start).line - header.length;
    return line < 0 ? { message, imports: true } : { line, message };
  });
}

export function describe(o) {
  return `${o?.kind ?? '?'}/${o?.metadata?.name ?? '?'}`;
}

// Writes `value` as a TypeScript literal, one key or element per line, recording each line's
// key path so a compiler error can be reported as e.g. spec.template.spec.containers[0].ports.
function emit(value, indent, keyPath, prefix, suffix, out) {
  const pad = '  '.repeat(indent);
  const open = (bracket) => {
    out.lines.push(`${pad}${prefix}${bracket}`);
    out.paths.push(keyPath);
  };
  if (Array.isArray(value)) {
    open('[');
    value.forEach((v, i) => emit(v, indent + 1, `${keyPath}[${i}]`, '', ',', out));
    out.lines.push(`${pad}]${suffix}`);
    out.paths.push(keyPath);
  } else if (value !== null && typeof value === 'object') {
    open('{');
    for (const [k, v] of Object.entries(value)) {
      emit(v, indent + 1, keyPath ? `${keyPath}.${k}` : k, `${JSON.stringify(k)}: `, ',', out);
    }
    out.lines.push(`${pad}}${suffix}`);
    out.paths.push(keyPath);
  } else {
    out.lines.push(`${pad}${prefix}${JSON.stringify(value)}${suffix}`);
    out.paths.push(keyPath);
  }
}

// Checks every object; returns [{object, path, message}].
export function schemaErrors(objects) {
  const errors = [];
  const out = { lines: [], paths: [] };
  const owners = [];  // line index -> object index
  const modules = new Map();
  objects.forEach((o, i) => {
    if (typeof o?.apiVersion !== 'string' || typeof o?.kind !== 'string') {
      errors.push({ object: describe(o), path: '', message: 'apiVersion and kind are required strings' });
      return;
    }
    if (typeof o.metadata?.name !== 'string') {
      errors.push({ object: describe(o), path: 'metadata.name', message: 'required' });
    }
    const mod = moduleFor(o.apiVersion);
    if (!fs.existsSync(path.join(typesDir, `${mod}.d.ts`))) {
      errors.push({ object: describe(o), path: 'apiVersion',
                    message: `${o.apiVersion} is not an API of Kubernetes ${kubernetesVersion}` });
      return;
    }
    if (!modules.has(mod)) modules.set(mod, `m${modules.size}`);
    const start = out.lines.length;
    emit(o, 0, '', `export const o${i}: ${modules.get(mod)}.${o.kind} = `, ';', out);
    for (let l = start; l < out.lines.length; ++l) owners[l] = i;
  });
  for (const d of typeCheck(modules, out.lines, '__rendered_objects__.ts')) {
    if (d.line === undefined) {
      errors.push({ object: d.imports ? '(imports)' : '(compiler)', path: '', message: d.message });
      continue;
    }
    errors.push({ object: describe(objects[owners[d.line]]), path: out.paths[d.line], message: d.message });
  }
  return errors;
}
