// `helm lint --strict` passes on the chart's defaults and on every ci/*-values.yaml scenario.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { chartDir, ciValuesFiles, runHelm } from './helm.mjs';

describe('helm lint --strict', () => {
  it('finds the ci scenarios', () => {
    const names = ciValuesFiles.map((f) => path.basename(f));
    for (const want of ['chaos-values.yaml', 'everything-on-values.yaml', 'hpa-enabled-values.yaml', 'redis-enabled-values.yaml']) {
      assert.ok(names.includes(want), `ci/${want} is missing (have ${names.join(', ')})`);
    }
  });

  for (const values of [null, ...ciValuesFiles]) {
    it(`passes with ${values ? `ci/${path.basename(values)}` : 'the default values'}`, () => {
      const r = runHelm(['lint', '--strict', chartDir, ...(values ? ['-f', values] : [])]);
      assert.equal(r.status, 0, `helm lint failed:\n${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
      assert.doesNotMatch(r.stdout, /\[(WARNING|ERROR)\]/, r.stdout);
    });
  }

  it('fails on values that break the schema', () => {
    const r = runHelm(['lint', '--strict', chartDir, '--set', 'services.cart.replicas=-1']);
    assert.notEqual(r.status, 0, 'helm lint accepted negative replicas');
    assert.match(r.stdout + r.stderr, /services\.cart\.replicas: Must be greater than or equal to 0/);
  });
});
