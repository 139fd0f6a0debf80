// The Kubernetes client's test fixtures (targets/kubernetes/testing/fixtures: what the fake API
// server answers) checked against Kubernetes 1.30's types, so a fixture cannot drift from the
// shapes a real API server sends: every List as its typed list (kind, apiVersion, ListMeta and
// items), every item and watch event object as its kind (k8s_schema.mjs + the API server's
// rules, through validate.mjs), every Status as meta/v1 Status, every watch line as a
// meta/v1 WatchEvent. JSON null is how Go writes an unset pointer or zero time (lastProbeTime,
// eventTime, a template's creationTimestamp); Kubernetes reads it as absent, and so does this.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoDir } from './helm.mjs';
import { moduleFor, typeCheck } from './k8s_schema.mjs';
import { kubernetesErrors } from './validate.mjs';

const fixturesDir = path.join(repoDir, 'targets/kubernetes/testing/fixtures');

function withoutNulls(value) {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]));
  }
  return value;
}

// Type-checks each {name, value, module, type} as `const x: module.type = value` (excess
// properties, wrong types and missing required fields are errors). Returns "name:line: message".
function typeErrors(entries) {
  const modules = new Map();
  const lines = [];
  const owners = [];
  entries.forEach((e, i) => {
    if (!modules.has(e.module)) modules.set(e.module, `m${modules.size}`);
    const text = `export const v${i}: ${modules.get(e.module)}.${e.type} = ` +
      `${JSON.stringify(e.value, null, 2)};`;
    for (const [n, line] of text.split('\n').entries()) {
      lines.push(line);
      owners.push({ entry: e, line: n + 1 });
    }
  });
  return typeCheck(modules, lines, '__kube_fixtures__.ts').map((d) => {
    const owner = d.line === undefined ? undefined : owners[d.line];
    return owner ? `${owner.entry.name}:${owner.line}: ${d.message}` : `(compiler): ${d.message}`;
  });
}

function readFixtures() {
  const files = fs.readdirSync(fixturesDir).sort();
  const json = files.filter((f) => f.endsWith('.json'))
    .map((f) => ({ file: f, value: JSON.parse(fs.readFileSync(path.join(fixturesDir, f), 'utf8')) }));
  const watches = files.filter((f) => f.endsWith('.jsonl')).map((f) => ({
    file: f,
    events: fs.readFileSync(path.join(fixturesDir, f), 'utf8').split('\n').filter((l) => l !== '')
      .map((l) => JSON.parse(l)),
  }));
  return { json, watches };
}

const { json, watches } = readFixtures();

describe('Kubernetes client fixtures', () => {
  it('has fixtures to check', () => {
    assert.ok(json.length >= 10, `only ${json.length} JSON fixtures in ${fixturesDir}`);
    assert.ok(watches.length >= 1, `no .jsonl watch fixtures in ${fixturesDir}`);
  });

  it('types every List, Status and object as Kubernetes 1.30 does', () => {
    const entries = json.map(({ file, value }) => ({
      name: file,
      value: withoutNulls(value),
      module: value.kind === 'Status' ? 'meta/v1' : moduleFor(value.apiVersion),
      type: value.kind,
    }));
    for (const { file, events } of watches) {
      events.forEach((e, i) => entries.push({ name: `${file}[${i}]`, value: withoutNulls(e),
                                              module: 'meta/v1', type: 'WatchEvent' }));
    }
    assert.deepEqual(typeErrors(entries), []);
  });

  it('has lists shaped as the API server sends them', () => {
    const errors = [];
    for (const { file, value } of json.filter((f) => f.value.kind.endsWith('List'))) {
      if (typeof value.metadata?.resourceVersion !== 'string') {
        errors.push(`${file}: metadata.resourceVersion is missing`);
      }
      // The API server leaves kind and apiVersion out of list items; the client adds them back.
      value.items.forEach((item, i) => {
        if ('kind' in item || 'apiVersion' in item) errors.push(`${file}: items[${i}] has kind/apiVersion`);
      });
      const kind = value.kind.slice(0, -'List'.length);
      const items = value.items.map((item) => withoutNulls({ apiVersion: value.apiVersion, kind, ...item }));
      errors.push(...kubernetesErrors(items).map((e) => `${file}: ${e}`));
    }
    for (const { file, value } of json.filter((f) => !f.value.kind.endsWith('List') && f.value.kind !== 'Status')) {
      errors.push(...kubernetesErrors([withoutNulls(value)]).map((e) => `${file}: ${e}`));
    }
    assert.deepEqual(errors, []);
  });

  it('has Status objects as the API server writes them', () => {
    for (const { file, value } of json.filter((f) => f.value.kind === 'Status')) {
      assert.equal(value.apiVersion, 'v1', file);
      assert.equal(value.status, 'Failure', file);
      assert.equal(typeof value.code, 'number', file);
      assert.equal(typeof value.reason, 'string', file);
      assert.ok(file.includes(String(value.code)), `${file} holds a ${value.code}`);
    }
  });

  it('has watch events whose objects are valid for their type', () => {
    const errors = [];
    for (const { file, events } of watches) {
      events.forEach((e, i) => {
        const where = `${file}[${i}]`;
        if (!['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'].includes(e.type)) {
          errors.push(`${where}: unknown type ${e.type}`);
        } else if (e.type === 'ERROR') {
          if (e.object.kind !== 'Status' || typeof e.object.code !== 'number') {
            errors.push(`${where}: an ERROR event carries a Status`);
          }
        } else if (e.type === 'BOOKMARK') {
          // Only the resourceVersion of a bookmark's object is set (the rest is zero values).
          if (typeof e.object.metadata?.resourceVersion !== 'string' || e.object.metadata.name) {
            errors.push(`${where}: a bookmark's object has only metadata.resourceVersion`);
          }
        } else {
          errors.push(...kubernetesErrors([withoutNulls(e.object)]).map((m) => `${where}: ${m}`));
        }
      });
    }
    assert.deepEqual(errors, []);
  });

  it('catches a fixture that drifts from the types', () => {
    const list = json.find((f) => f.value.kind === 'PodList').value;
    const drifted = structuredClone(list);
    drifted.items[0].spec.containers[0].ports[0].containerPort = '7070';
    drifted.items[0].status.phaseTypo = 'Running';
    const errors = typeErrors([{ name: 'drifted', value: withoutNulls(drifted), module: 'core/v1', type: 'PodList' }]);
    assert.ok(errors.some((e) => e.includes('phaseTypo')), errors.join('\n'));
    assert.ok(errors.some((e) => e.includes("'string' is not assignable to type 'number'")), errors.join('\n'));
    const status = typeErrors([{ name: 's', value: { kind: 'Status', code: '404' }, module: 'meta/v1', type: 'Status' }]);
    assert.ok(status.length > 0);
  });
});
