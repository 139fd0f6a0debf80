// `helm template` with the default values, with HPAs on, and with every ci scenario: every
// rendered object is valid for a Kubernetes 1.30 API server, and the objects refer to each
// other correctly (Services select a Deployment and target its ports, HPAs scale a rendered
// Deployment, pods use the rendered ConfigMap, Secret, claim and ServiceAccount, RoleBindings
// bind a rendered Role to a rendered ServiceAccount, Roles name rendered Secrets).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ciValuesFiles, template } from './helm.mjs';
import { kubernetesVersion } from './k8s_schema.mjs';
import { kubernetesErrors } from './validate.mjs';

const matches = (selector, labels) => Object.entries(selector).every(([k, v]) => labels?.[k] === v);

// Cross-object references that an API server does not check but a working release needs.
function referenceErrors(objects) {
  const errors = [];
  const named = (kind) => new Set(objects.filter((o) => o.kind === kind).map((o) => o.metadata.name));
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  const configMaps = named('ConfigMap');
  const secrets = named('Secret');
  const claims = named('PersistentVolumeClaim');
  const accounts = named('ServiceAccount');
  for (const svc of objects.filter((o) => o.kind === 'Service')) {
    const targets = deployments.filter((d) => matches(svc.spec.selector, d.spec.template.metadata.labels));
    if (targets.length !== 1) {
      errors.push(`Service/${svc.metadata.name} selects ${targets.length} Deployments`);
      continue;
    }
    const ports = targets[0].spec.template.spec.containers.flatMap((c) => c.ports ?? []);
    for (const p of svc.spec.ports) {
      const ok = typeof p.targetPort === 'string' ? ports.some((cp) => cp.name === p.targetPort)
                                                  : ports.some((cp) => cp.containerPort === p.targetPort);
      if (!ok) errors.push(`Service/${svc.metadata.name}: targetPort ${p.targetPort} is not a port of its pods`);
    }
  }
  for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const ref = hpa.spec.scaleTargetRef;
    if (ref.kind !== 'Deployment' || !deployments.some((d) => d.metadata.name === ref.name)) {
      errors.push(`HorizontalPodAutoscaler/${hpa.metadata.name} scales ${ref.kind}/${ref.name}, which is not rendered`);
    }
  }
  for (const pdb of objects.filter((o) => o.kind === 'PodDisruptionBudget')) {
    const hits = deployments.filter((d) => matches(pdb.spec.selector.matchLabels, d.spec.template.metadata.labels));
    if (hits.length !== 1) errors.push(`PodDisruptionBudget/${pdb.metadata.name} selects ${hits.length} Deployments`);
  }
  const pods = [...deployments.map((d) => [d, d.spec.template.spec]), ...objects.filter((o) => o.kind === 'Pod').map((p) => [p, p.spec])];
  for (const [owner, spec] of pods) {
    const where = `${owner.kind}/${owner.metadata.name}`;
    if (spec.serviceAccountName && !accounts.has(spec.serviceAccountName)) {
      errors.push(`${where}: ServiceAccount ${spec.serviceAccountName} is not rendered`);
    }
    for (const v of spec.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      if (claim && !claims.has(claim)) errors.push(`${where}: claim ${claim} is not rendered`);
    }
    for (const c of spec.containers) {
      for (const e of c.envFrom ?? []) {
        if (e.configMapRef && !configMaps.has(e.configMapRef.name)) errors.push(`${where}: ConfigMap ${e.configMapRef.name} is not rendered`);
      }
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref && !secrets.has(ref.name)) errors.push(`${where}: Secret ${ref.name} (${e.name}) is not rendered`);
      }
    }
  }
  const roles = named('Role');
  for (const rb of objects.filter((o) => o.kind === 'RoleBinding')) {
    const where = `RoleBinding/${rb.metadata.name}`;
    if (rb.roleRef.kind !== 'Role' || !roles.has(rb.roleRef.name)) {
      errors.push(`${where}: ${rb.roleRef.kind} ${rb.roleRef.name} is not rendered`);
    }
    const own = (rb.subjects ?? []).filter((s) => s.kind === 'ServiceAccount' && s.namespace === rb.metadata.namespace &&
                                                   accounts.has(s.name));
    if (own.length === 0) errors.push(`${where}: binds no rendered ServiceAccount of its namespace`);
  }
  for (const role of objects.filter((o) => o.kind === 'Role')) {
    for (const rule of role.rules ?? []) {
      if (!rule.resources.includes('secrets')) continue;
      for (const name of rule.resourceNames ?? []) {
        if (!secrets.has(name)) errors.push(`Role/${role.metadata.name}: Secret ${name} is not rendered`);
      }
    }
  }
  return errors;
}

const scenarios = [
  ['the default values', {}],
  ['HPAs enabled (--set)', { sets: ['services.frontend.autoscaling.enabled=true', 'services.cart.autoscaling.enabled=true',
                                    'services.checkout.autoscaling.enabled=true'] }],
  ...ciValuesFiles.map((f) => [`ci/${path.basename(f)}`, { values: [f] }]),
];

describe(`helm template charts/shop-reference: objects valid for Kubernetes ${kubernetesVersion}`, () => {
  for (const [name, args] of scenarios) {
    it(`renders valid, consistent objects with ${name}`, () => {
      const objects = template(args);
      assert.ok(objects.length >= 25, `only ${objects.length} objects rendered`);
      assert.deepEqual(kubernetesErrors(objects), []);
      assert.deepEqual(referenceErrors(objects), []);
    });
  }

  it('the consistency check catches a Service that targets a port its pods do not have', () => {
    const objects = template();
    const svc = objects.find((o) => o.kind === 'Service');
    svc.spec.ports[0].targetPort = 'nope';
    assert.match(referenceErrors(objects).join('\n'), /targetPort nope is not a port of its pods/);
  });

  it('the consistency check catches a RoleBinding to a Role or ServiceAccount that is not rendered', () => {
    const objects = template({ sets: ['chaosRunner.rbac.create=true'] });
    assert.deepEqual(referenceErrors(objects), []);
    const rb = objects.find((o) => o.kind === 'RoleBinding');
    rb.roleRef.name = 'nope';
    rb.subjects[0].name = 'nobody';
    const errors = referenceErrors(objects).join('\n');
    assert.match(errors, /Role nope is not rendered/);
    assert.match(errors, /binds no rendered ServiceAccount/);
  });

  it('the schema check catches a field the chart could misspell', () => {
    const objects = template();
    const d = objects.find((o) => o.kind === 'Deployment');
    d.spec.template.spec.containers[0].readinesProbe = d.spec.template.spec.containers[0].readinessProbe;
    assert.match(kubernetesErrors(objects).join('\n'), /readinesProbe: .*known properties/);
  });
});
