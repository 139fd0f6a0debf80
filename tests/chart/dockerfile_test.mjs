// The Dockerfile at the repository root, the image charts/stampede runs, checked without a
// docker daemon: Debian 12 base images pinned to bookworm, a build stage and a runtime stage,
// the runtime stage with no compiler or -dev package, a non-root USER that is the chart's
// runAsUser, ENTRYPOINT stampede; and the runtime packages are exactly those of the shared libraries
// the built binary links (its NEEDED entries, resolved by ldd, owned per dpkg -S). Needs the binary
// (STAMPEDE_BIN, set by CMake).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { defaultValues, repoDir, stampedeChartDir } from './helm.mjs';

// Instructions of a Dockerfile: continuation lines joined, comments dropped.
function instructions(text) {
  const out = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!current && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    current += (current ? ' ' : '') + line.replace(/\\$/, '').trim();
    if (!line.endsWith('\\')) {
      const [op, ...rest] = current.split(/\s+/);
      out.push({ op: op.toUpperCase(), args: rest.join(' ') });
      current = '';
    }
  }
  return out;
}

// Stages: [{ from, name, steps }].
function stages(list) {
  const out = [];
  for (const ins of list) {
    if (ins.op === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      out.push({ from: m[1], name: m[2], steps: [] });
    } else if (out.length) {
      out[out.length - 1].steps.push(ins);
    }
  }
  return out;
}

// The packages of the `apt-get install` in a stage's RUN steps.
function aptPackages(stage) {
  const pkgs = [];
  for (const s of stage.steps.filter((x) => x.op === 'RUN')) {
    for (const part of s.args.split('&&')) {
      const m = /apt-get install\s+(.*)$/.exec(part.trim());
      if (m) pkgs.push(...m[1].split(/\s+/).filter((w) => w && !w.startsWith('-')));
    }
  }
  return pkgs;
}

// The Debian package that owns `file`; with /usr merged, dpkg may know it under /lib instead.
function packageOf(file) {
  for (const candidate of [file, file.replace(/^\/usr\/lib\//, '/lib/')]) {
    try {
      return execFileSync('dpkg', ['-S', candidate], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split(':')[0];
    } catch {
      // not registered under this path
    }
  }
  throw new Error(`no Debian package owns ${file}`);
}

const dockerfile = fs.readFileSync(path.join(repoDir, 'Dockerfile'), 'utf8');
const all = stages(instructions(dockerfile));
const [build, runtime] = [all[0], all[all.length - 1]];
const bin = process.env.STAMPEDE_BIN;

describe('Dockerfile', () => {
  it('is multi-stage on Debian 12 (bookworm) images, pinned', () => {
    assert.ok(all.length >= 2, `${all.length} stage(s)`);
    for (const s of all) assert.match(s.from, /^debian:bookworm(-slim)?(@sha256:[0-9a-f]{64})?$/, s.from);
    assert.equal(build.name, 'build');
    assert.equal(runtime.name, 'runtime');
  });

  it('builds with the -dev packages of scripts/install-deps.sh and scripts/build.sh', () => {
    const deps = fs.readFileSync(path.join(repoDir, 'scripts/install-deps.sh'), 'utf8');
    const listed = new Set(/packages=\(([^)]*)\)/s.exec(deps)[1].split(/\s+/).filter(Boolean));
    for (const p of aptPackages(build)) {
      assert.ok(listed.has(p) || ['ca-certificates', 'nodejs', 'npm'].includes(p),
                `build stage installs ${p}, which scripts/install-deps.sh does not`);
    }
    for (const p of ['prometheus-cpp-dev', 'libcurl4-openssl-dev', 'liblua5.4-dev', 'libgrpc++-dev']) {
      assert.ok(aptPackages(build).includes(p), `build stage lacks ${p}`);
    }
    assert.ok(build.steps.some((s) => s.op === 'RUN' && /scripts\/build\.sh/.test(s.args)), 'no scripts/build.sh');
  });

  it('has a runtime stage with only runtime libraries, the binary, a non-root USER and ENTRYPOINT stampede', () => {
    const pkgs = aptPackages(runtime);
    for (const p of pkgs) {
      assert.doesNotMatch(p, /-dev$|^build-essential$|^cmake$|^g\+\+|^gcc|^npm$|^nodejs$/, `runtime installs ${p}`);
    }
    const runs = runtime.steps.filter((s) => s.op === 'RUN').map((s) => s.args).join('\n');
    assert.match(runs, /--no-install-recommends/);
    assert.match(runs, /rm -rf \/var\/lib\/apt\/lists/);
    const copies = runtime.steps.filter((s) => s.op === 'COPY');
    assert.deepEqual(copies.map((c) => c.args), ['--from=build /src/build/stampede /usr/local/bin/stampede']);
    const users = runtime.steps.filter((s) => s.op === 'USER');
    assert.equal(users.length, 1);
    const [uid, gid] = users[0].args.split(':');
    assert.ok(/^[1-9][0-9]*$/.test(uid) && uid !== '0', `USER ${users[0].args} is not a numeric non-root uid`);
    const values = defaultValues(stampedeChartDir);
    assert.equal(values.podSecurityContext.runAsUser, Number(uid), 'the chart runs as another uid than the image');
    assert.equal(values.podSecurityContext.runAsGroup, Number(gid));
    assert.equal(values.podSecurityContext.runAsNonRoot, true);
    const entry = runtime.steps.filter((s) => s.op === 'ENTRYPOINT');
    assert.deepEqual(entry.map((e) => JSON.parse(e.args)), [['stampede']]);
    assert.equal(values.image.repository, 'stampede/stampede');
    assert.match(dockerfile, /docker build -t stampede\/stampede:/);
  });

  it('leaves build trees and node_modules out of the build context', () => {
    const ignore = fs.readFileSync(path.join(repoDir, '.dockerignore'), 'utf8').split('\n');
    for (const want of ['build*/', '**/node_modules', '.git']) assert.ok(ignore.includes(want), `.dockerignore lacks ${want}`);
  });

  // CMake says whether STAMPEDE_BIN is built as the image builds it (optimised, no sanitizers);
  // a Debug or ASan binary links other libraries, so there the list cannot be compared.
  const likeImage = process.env.STAMPEDE_BINARY_LIKE_IMAGE !== '0';
  it('installs a package for every shared library the stampede binary needs',
     { skip: (!bin && 'STAMPEDE_BIN is not set') || (!likeImage && 'STAMPEDE_BIN is a Debug or sanitizer build, unlike the image\'s') }, () => {
    assert.ok(fs.existsSync(bin), `STAMPEDE_BIN ${bin} does not exist`);
    const needed = execFileSync('readelf', ['-d', bin], { encoding: 'utf8' })
      .split('\n').map((l) => /\(NEEDED\)\s+Shared library: \[(.+)\]/.exec(l)?.[1]).filter(Boolean);
    assert.ok(needed.length > 5, needed.join(' '));
    const resolved = new Map();
    for (const line of execFileSync('ldd', [bin], { encoding: 'utf8' }).split('\n')) {
      const m = /^\s*(\S+) => (\S+)/.exec(line);
      if (m) resolved.set(m[1], m[2]);
    }
    // In debian:bookworm-slim already (apt needs them).
    const base = new Set(['libc6', 'libgcc-s1', 'libstdc++6']);
    const runtimePkgs = new Set(aptPackages(runtime));
    const missing = [];
    const owners = new Set();
    for (const lib of needed) {
      const file = resolved.get(lib);
      assert.ok(file && file !== 'not', `ldd does not resolve ${lib}`);
      const owner = packageOf(fs.realpathSync(file));
      owners.add(owner);
      if (!base.has(owner) && !runtimePkgs.has(owner)) missing.push(`${lib} (${owner})`);
    }
    assert.deepEqual(missing, [], 'the runtime stage lacks the packages of these libraries');
    // And nothing else: each runtime package (but the CA certificates) provides a library the
    // binary links.
    const unused = [...runtimePkgs].filter((p) => p !== 'ca-certificates' && !owners.has(p));
    assert.deepEqual(unused, [], 'the runtime stage installs packages the binary does not link');
  });
});
