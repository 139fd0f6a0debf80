// The chart's chaos-runner Role grants everything `stampede rbac` can ask for: for every chaos
// scenario and for a script with every action, each rule the binary prints is covered by a rule
// of the Role rendered from values-chaos.yaml (same group, resource and resourceNames, a superset
// of the verbs), and the Role grants nothing that no script asks for. Needs the stampede binary
// (STAMPEDE_BIN, set by CMake).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { chartDir, release, repoDir, template, testsDir } from './helm.mjs';

const bin = process.env.STAMPEDE_BIN;
const prefix = `${release}-shop-reference-`;
const scripts = [
  path.join(testsDir, 'fixtures/every_chaos_action.lua'),
  ...fs.readdirSync(path.join(repoDir, 'scenarios/chaos'))
    .filter((f) => f.endsWith('.lua') && f !== 'traffic.lua')
    .map((f) => path.join(repoDir, 'scenarios/chaos', f)),
];

function printedRole(script) {
  const out = execFileSync(bin, ['rbac', script, '-n', 'shop', '--name-prefix', prefix,
                                 '-e', 'BASE=http://127.0.0.1:1'], { encoding: 'utf8' });
  return parse(out);
}

describe('stampede rbac and the chart\'s chaos-runner Role', () => {
  it('has the stampede binary', () => {
    assert.ok(bin && fs.existsSync(bin), `STAMPEDE_BIN (${bin}) is not the stampede binary`);
  });
  const chart = template({ values: [path.join(chartDir, 'values-chaos.yaml')],
                           extraArgs: ['--namespace', 'shop'] });
  const role = chart.find((o) => o.kind === 'Role');
  const granted = (group, resource, names) => role.rules.filter((r) =>
    r.apiGroups.includes(group) && r.resources.includes(resource) &&
    JSON.stringify(r.resourceNames ?? []) === JSON.stringify(names ?? []));

  for (const script of scripts) {
    it(`covers ${path.relative(repoDir, script)}`, { skip: !bin }, () => {
      const printed = printedRole(script);
      assert.equal(printed.kind, 'Role');
      assert.equal(printed.metadata.namespace, 'shop');
      for (const rule of printed.rules) {
        for (const resource of rule.resources) {
          const verbs = new Set(granted(rule.apiGroups[0], resource, rule.resourceNames)
            .flatMap((r) => r.verbs));
          for (const verb of rule.verbs) {
            assert.ok(verbs.has(verb), `${script}: the chart's Role lacks ${verb} on ` +
              `${rule.apiGroups[0] || 'core'}/${resource}${rule.resourceNames ? ` ${rule.resourceNames}` : ''}`);
          }
        }
      }
    });
  }

  it('grants nothing no script asks for: every verb of the Role is printed for some script', { skip: !bin }, () => {
    const printed = new Set();
    for (const script of scripts) {
      for (const rule of printedRole(script).rules) {
        for (const resource of rule.resources) {
          for (const verb of rule.verbs) {
            printed.add(`${rule.apiGroups[0]}|${resource}|${(rule.resourceNames ?? []).join(',')}|${verb}`);
          }
        }
      }
    }
    for (const rule of role.rules) {
      for (const resource of rule.resources) {
        for (const verb of rule.verbs) {
          const key = `${rule.apiGroups[0]}|${resource}|${(rule.resourceNames ?? []).join(',')}|${verb}`;
          assert.ok(printed.has(key), `the chart's Role grants ${verb} on ${rule.apiGroups[0] || 'core'}/${resource}, which no script needs`);
        }
      }
    }
  });

  it('asks for exactly what the adapter uses for the script with every action', { skip: !bin }, () => {
    const rules = printedRole(scripts[0]).rules.map((r) =>
      `${r.apiGroups[0] || 'core'}/${r.resources.join(',')}${r.resourceNames ? `(${r.resourceNames})` : ''}: ${r.verbs.join(' ')}`);
    assert.deepEqual(rules, [
      'core/pods: delete get list watch',
      'core/events: list watch',
      'core/services: list',
      'apps/deployments: get list patch watch',
      'autoscaling/horizontalpodautoscalers: list watch',
      'metrics.k8s.io/pods: list',
      'apps/deployments/scale: patch',
      'core/pods/proxy: delete get update',
      `core/secrets(${prefix}admin-token): get`,
    ]);
  });
});
