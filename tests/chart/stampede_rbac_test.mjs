// charts/stampede's chaos Role is exactly what `stampede rbac SCRIPT` prints: for every
// scenarios/chaos script, the Role rendered from the printed YAML (chaos.rbac.stampedeRbacOutput,
// --set-file) and from its rules pasted into values (chaos.rbac.rules) has those rules, no more,
// no fewer, in the namespace the plan acts in, bound to the coordinator's account only; a script
// without chaos needs no RBAC, and the chart then renders none. values-chaos.yaml's pasted rules
// are checked against the binary too, so they cannot rot. Needs the stampede binary
// (STAMPEDE_BIN, set by CMake).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { find, release, repoDir, stampedeChartDir as chart, template } from './helm.mjs';
import { kubernetesErrors } from './validate.mjs';

const bin = process.env.STAMPEDE_BIN;
const releaseNamespace = 'load';
const target = 'shop';
const prefix = 'shop-shop-reference-';
const full = `${release}-stampede`;
const scriptsDir = path.join(repoDir, 'scenarios/chaos');
const scripts = fs.readdirSync(scriptsDir).filter((f) => f.endsWith('.lua') && f !== 'traffic.lua').sort();
const rbacKinds = ['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];
const printedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stampede-rbac-'));
process.on('exit', () => fs.rmSync(printedDir, { recursive: true, force: true }));

// What `stampede rbac` prints for a script: {text, role} (role null when it needs none).
function stampedeRbac(script) {
  const r = spawnSync(bin, ['rbac', path.join(scriptsDir, script), '-n', target, '--name-prefix', prefix,
                            '-e', 'BASE=http://127.0.0.1:1'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, `stampede rbac ${script}: ${r.stderr}`);
  if (/needs no RBAC rules/.test(r.stderr)) return { text: '', role: null };
  return { text: r.stdout, role: parse(r.stdout) };
}

const scriptArgs = (script) => ['--set-file', `script.content=${path.join(scriptsDir, script)}`,
                                '--set-file', `script.files.traffic\\.lua=${path.join(scriptsDir, 'traffic.lua')}`,
                                '--set', `script.name=${script}`, '--namespace', releaseNamespace];

function checkRole(objects, printed) {
  assert.deepEqual(kubernetesErrors(objects), []);
  const role = find(objects, 'Role', `${full}-chaos`);
  assert.equal(role.metadata.namespace, printed.metadata.namespace);
  assert.deepEqual(role.rules, printed.rules, 'the chart\'s Role is not what stampede rbac printed');
  assert.equal(objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding').length, 0);
  const binding = find(objects, 'RoleBinding', `${full}-chaos`);
  assert.equal(binding.metadata.namespace, target);
  assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
  const account = find(objects, 'ServiceAccount', `${full}-chaos`);
  assert.equal(account.metadata.namespace, releaseNamespace);
  assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: account.metadata.name, namespace: releaseNamespace }]);
  const pods = objects.filter((o) => o.kind === 'Job').map((j) => [j.metadata.name, j.spec.template.spec]);
  assert.deepEqual(pods.filter(([, s]) => s.serviceAccountName === account.metadata.name).map(([n]) => n),
                   [`${full}-coordinator`], 'only the coordinator acts as the chaos account');
  const args = find(objects, 'Job', `${full}-coordinator`).spec.template.spec.containers[0].args;
  const at = (flag) => args[args.indexOf(flag) + 1];
  assert.ok(args.includes('--in-cluster'));
  assert.equal(at('--namespace'), target);
  assert.equal(at('--name-prefix'), prefix);
}

describe('charts/stampede\'s chaos Role and `stampede rbac`', () => {
  it('has the stampede binary', () => {
    assert.ok(bin && fs.existsSync(bin), `STAMPEDE_BIN (${bin}) is not the stampede binary`);
  });

  // Chaos runs on the coordinator: mode fleet.
  const chaosValues = { mode: 'fleet', chaos: { enabled: true, namespace: target, namePrefix: prefix } };
  for (const script of scripts) {
    it(`renders exactly the rules stampede rbac prints for scenarios/chaos/${script}`, { skip: !bin }, () => {
      const { text, role } = stampedeRbac(script);
      if (role === null) {
        const objects = template({ chart, extraArgs: scriptArgs(script) });
        assert.deepEqual(objects.filter((o) => rbacKinds.includes(o.kind)), []);
        return;
      }
      assert.equal(role.kind, 'Role');
      assert.ok(role.rules.length > 0);
      const printedFile = path.join(printedDir, `${script}.role.yaml`);
      fs.writeFileSync(printedFile, text);
      checkRole(template({ chart, values: [chaosValues],
                           extraArgs: [...scriptArgs(script), '--set-file', `chaos.rbac.stampedeRbacOutput=${printedFile}`] }), role);
      checkRole(template({ chart, values: [{ mode: 'fleet', chaos: { ...chaosValues.chaos, rbac: { rules: role.rules } } }],
                           extraArgs: scriptArgs(script) }), role);
    });
  }

  it('values-chaos.yaml pastes exactly what stampede rbac prints for pod_kill.lua', { skip: !bin }, () => {
    const { role } = stampedeRbac('pod_kill.lua');
    const values = parse(fs.readFileSync(path.join(chart, 'values-chaos.yaml'), 'utf8'));
    assert.equal(values.script.name, 'pod_kill.lua');
    assert.equal(values.chaos.namespace, role.metadata.namespace);
    assert.equal(values.chaos.namePrefix, prefix);
    assert.deepEqual(values.chaos.rbac.rules, role.rules);
    checkRole(template({ chart, values: [path.join(chart, 'values-chaos.yaml')], extraArgs: scriptArgs('pod_kill.lua') }), role);
  });

  it('renders no chaos objects for the default script (it has no chaos plan)', { skip: !bin }, () => {
    const r = spawnSync(bin, ['rbac', path.join(chart, 'files/example.lua')], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /needs no RBAC rules/);
    assert.deepEqual(template({ chart }).filter((o) => rbacKinds.includes(o.kind)), []);
  });
});
