// charts/stampede's rendered pods run as processes: the runners' Indexed Job of mode segments,
// rendered by helm, is run as the kubelet would run it — each pod's command and args with
// Kubernetes' $(VAR) expansion, its env (JOB_COMPLETION_INDEX from the completion index), its
// workingDir and volume mounts mapped to folders (the ConfigMap's files written into the script
// mount, as a configMap volume projects them) — against the shop started by `stampede up`. The
// runners must all pass, their segments must add up to exactly the script's iterations, and
// `stampede merge` of their /results folders must give the whole test's verdict. So the
// templates' commands, flags, paths and segment wrapper are exercised, not only their values.
// Needs the stampede binary (STAMPEDE_BIN, set by CMake).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { find, stampedeChartDir as chart, template, testsDir } from './helm.mjs';

const bin = process.env.STAMPEDE_BIN;
const runners = 3;
const iterations = 30;  // fixtures/segments.lua
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'stampede-chart-processes-'));
const state = path.join(work, 'state');

// Kubernetes' expansion of $(VAR) in command and args: defined variables are replaced, $$ is a
// literal $, anything else is left as written.
function expand(text, env) {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (match, name) => {
    if (match === '$$') return '$';
    return Object.hasOwn(env, name) ? env[name] : match;
  });
}

// results.json's iteration count: the sum over the iterations series (one per tag set).
const iterationsOf = (doc) => doc.metrics.filter((m) => m.metric === 'iterations')
  .reduce((sum, m) => sum + m.values.count, 0);

// A pod's container env as the kubelet resolves it for completion index `index`.
function containerEnv(container, index) {
  const env = {};
  for (const e of container.env ?? []) {
    if (e.value !== undefined) {
      env[e.name] = expand(e.value, env);
    } else if (e.valueFrom?.fieldRef?.fieldPath ===
               "metadata.annotations['batch.kubernetes.io/job-completion-index']") {
      env[e.name] = String(index);
    } else {
      throw new Error(`env ${e.name}: a source this test cannot resolve: ${JSON.stringify(e.valueFrom)}`);
    }
  }
  return env;
}

// Runs `argv` (with mount paths mapped to folders) and resolves {status, stdout, stderr}.
function run(argv, { env, cwd }) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

describe('charts/stampede runner pods run as processes (mode segments)', () => {
  let base;
  before(() => {
    assert.ok(bin, 'STAMPEDE_BIN is not set (CMake sets it to the stampede binary)');
    const up = spawnSync(bin, ['up', '--detach', '--state-dir', state], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(up.status, 0, `stampede up failed:\n${up.stderr}`);
    base = up.stdout.trim();
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
  });
  after(() => {
    spawnSync(bin, ['down', '--state-dir', state], { timeout: 60_000 });
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('every runner passes, the segments add up to the whole test, and merge judges it as one', async () => {
    const objects = template({
      chart,
      sets: ['mode=segments', `runners.count=${runners}`, 'script.name=segments.lua', 'metrics.enabled=false',
             `script.env.BASE=${base}`],
      extraArgs: ['--set-file', `script.content=${path.join(testsDir, 'fixtures/segments.lua')}`,
                  '--set-file', `script.files.pages\\.lua=${path.join(testsDir, 'fixtures/pages.lua')}`],
    });
    const job = objects.find((o) => o.kind === 'Job' && o.spec.completionMode === 'Indexed');
    assert.ok(job, 'no Indexed Job rendered');
    assert.equal(job.spec.completions, runners);
    const pod = job.spec.template.spec;
    const container = pod.containers[0];

    // `stampede` on PATH is the binary under test, as in the image.
    const binDir = path.join(work, 'bin');
    fs.mkdirSync(binDir, { recursive: true });
    fs.symlinkSync(path.resolve(bin), path.join(binDir, 'stampede'));

    const runs = [];
    for (let index = 0; index < runners; index++) {
      // Each pod's volumes become folders of its own (the results volume is the shared PVC or
      // an emptyDir: one shared folder, as a PVC would be).
      const podDir = path.join(work, `pod-${index}`);
      const mounts = {};
      for (const m of container.volumeMounts) {
        const volume = pod.volumes.find((v) => v.name === m.name);
        assert.ok(volume, `volumeMount ${m.name} has no volume`);
        const dir = m.name === 'results' ? path.join(work, 'results') : path.join(podDir, m.name);
        fs.mkdirSync(dir, { recursive: true });
        if (volume.configMap) {
          const cm = find(objects, 'ConfigMap', volume.configMap.name);
          for (const [file, content] of Object.entries(cm.data)) fs.writeFileSync(path.join(dir, file), content);
        }
        mounts[m.mountPath] = dir;
      }
      // Longest mount path first, so /etc/stampede/script is mapped before a shorter prefix.
      const mapped = (text) => Object.keys(mounts).sort((a, b) => b.length - a.length)
        .reduce((t, p) => t.split(p).join(mounts[p]), text);
      const env = containerEnv(container, index);
      const argv = [...container.command, ...(container.args ?? [])].map((a) => mapped(expand(a, env)));
      const cwd = mounts[container.workingDir] ?? podDir;
      runs.push(run(argv, { env: { ...env, PATH: `${binDir}:${process.env.PATH}`, HOME: podDir }, cwd }));
    }
    const results = await Promise.all(runs);
    let total = 0;
    for (const [index, r] of results.entries()) {
      assert.equal(r.status, 0, `runner ${index} exited ${r.status ?? r.signal}:\n${r.stderr}`);
      assert.match(r.stderr, new RegExp(`runner ${index} of ${runners}, execution segment`));
      const doc = JSON.parse(fs.readFileSync(path.join(work, 'results', String(index), 'results.json'), 'utf8'));
      assert.equal(doc.run.execution_segment_sequence, '0,1/3,2/3,1');
      total += iterationsOf(doc);
    }
    assert.equal(total, iterations, 'the runners\' iterations do not add up to the script\'s');

    const merged = path.join(work, 'merged');
    const merge = spawnSync(bin, ['merge', ...[...Array(runners).keys()].map((i) => path.join(work, 'results', String(i))),
                                  '-o', merged], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(merge.status, 0, `stampede merge exited ${merge.status}:\n${merge.stderr}`);
    const doc = JSON.parse(fs.readFileSync(path.join(merged, 'results.json'), 'utf8'));
    assert.equal(iterationsOf(doc), iterations);
    assert.equal(doc.verdict.passed, true, JSON.stringify(doc.verdict));
  });
});
