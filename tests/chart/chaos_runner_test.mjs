// What the chart gives stampede's Kubernetes chaos adapter: the admin endpoint on the pod
// address (adminToken.listenOnPodIP) and the chaos runner's ServiceAccount, Role and RoleBinding
// (chaosRunner), all off by default and on in values-chaos.yaml. The Role's rules are written
// out here as data: granting the runner anything more (or less) must change this file too.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  chartDir, componentName, defaultValues, find, release, renderNotes, template, templateFailure,
} from './helm.mjs';
import { kubernetesErrors } from './validate.mjs';

const namespace = 'shop';
const chaosValues = path.join(chartDir, 'values-chaos.yaml');
const runnerName = `${release}-shop-reference-chaos-runner`;
const secretName = `${release}-shop-reference-admin-token`;
const render = ({ values = [], sets = [], name } = {}) =>
  template({ values, sets, name, extraArgs: ['--namespace', namespace] });

const byKind = (objects, kind) => objects.filter((o) => o.kind === kind);
const rbacKinds = ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];
const componentOf = (o) => o.metadata.labels?.['app.kubernetes.io/component'];
const chaosObjects = (objects) => objects.filter((o) => rbacKinds.includes(o.kind) || componentOf(o) === 'chaos-runner');
const envOf = (d) => Object.fromEntries((d.spec.template.spec.containers[0].env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));

// Exactly the API calls the adapter makes, as Role rules (the verb of a pods/proxy request
// follows its HTTP method: GET get, POST create, PUT update, DELETE delete).
const adapterRules = [
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'delete'] },
  { apiGroups: [''], resources: ['pods/proxy'], verbs: ['get', 'update', 'delete'] },
  { apiGroups: [''], resources: ['events'], verbs: ['list', 'watch'] },
  { apiGroups: [''], resources: ['services'], verbs: ['list'] },
  { apiGroups: [''], resources: ['secrets'], resourceNames: [secretName], verbs: ['get'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'patch'] },
  { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['patch'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['list', 'watch'] },
  { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['list'] },
];
const secretRule = (role) => role.rules.filter((r) => r.resources.includes('secrets'));

// The services that have an admin port (a port whose env is ADMIN_PORT) in `values`.
const withAdminPort = (values) => Object.entries(values.services)
  .filter(([, svc]) => svc.enabled && svc.ports.some((p) => p.env === 'ADMIN_PORT'))
  .map(([name]) => name).sort();

describe('chaos testing on a cluster: values-chaos.yaml', () => {
  const objects = render({ values: [chaosValues] });

  it('is the ci/chaos-values.yaml scenario, byte for byte (so lint and render cover it)', () => {
    assert.equal(fs.readFileSync(path.join(chartDir, 'ci/chaos-values.yaml'), 'utf8'),
                 fs.readFileSync(chaosValues, 'utf8'), 'ci/chaos-values.yaml must be a copy of values-chaos.yaml');
  });

  it('renders objects a Kubernetes API server accepts (schema and apiserver rules)', () => {
    assert.deepEqual(kubernetesErrors(objects), []);
    assert.deepEqual(chaosObjects(objects).map((o) => `${o.kind}/${o.metadata.name}`).sort(),
                     [`Role/${runnerName}`, `RoleBinding/${runnerName}`, `ServiceAccount/${runnerName}`]);
  });

  it('grants exactly the adapter\'s verbs, in the release namespace, nothing cluster-wide', () => {
    const role = find(objects, 'Role', runnerName);
    assert.equal(role.apiVersion, 'rbac.authorization.k8s.io/v1');
    assert.equal(role.metadata.namespace, namespace);
    assert.deepEqual(role.rules, adapterRules);
    assert.equal(byKind(objects, 'ClusterRole').length + byKind(objects, 'ClusterRoleBinding').length, 0);
    const wildcards = role.rules.filter((r) => [...r.apiGroups, ...r.resources, ...r.verbs].includes('*'));
    assert.deepEqual(wildcards, []);
  });

  it('lets the runner read only the Secret whose token the pods get', () => {
    const [rule] = secretRule(find(objects, 'Role', runnerName));
    const secret = find(objects, 'Secret', secretName);
    assert.deepEqual(rule.resourceNames, [secret.metadata.name]);
    const cart = find(objects, 'Deployment', componentName('cart'));
    assert.equal(envOf(cart).ADMIN_TOKEN.secretKeyRef.name, secret.metadata.name);
  });

  it('binds the Role to the runner\'s ServiceAccount in the release namespace', () => {
    const rb = find(objects, 'RoleBinding', runnerName);
    const sa = find(objects, 'ServiceAccount', runnerName);
    assert.equal(rb.metadata.namespace, namespace);
    assert.equal(sa.metadata.namespace, namespace);
    assert.deepEqual(rb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: runnerName });
    assert.deepEqual(rb.subjects, [{ kind: 'ServiceAccount', name: sa.metadata.name, namespace }]);
    // The runner authenticates with this account's token: it must not be switched off.
    assert.notEqual(sa.automountServiceAccountToken, false);
    // And the shop's own account stays as it was: no API token in the shop's pods.
    const shopAccount = find(objects, 'ServiceAccount', `${release}-shop-reference`);
    assert.equal(shopAccount.automountServiceAccountToken, false);
  });

  it('puts the admin endpoint on the pod address of every service with an admin port', () => {
    const values = defaultValues();
    const listening = byKind(objects, 'Deployment').filter((d) => envOf(d).ADMIN_LISTEN_ADDR !== undefined);
    assert.deepEqual(listening.map(componentOf).sort(), withAdminPort(values));
    for (const d of listening) assert.equal(envOf(d).ADMIN_LISTEN_ADDR, '0.0.0.0', componentOf(d));
  });

  it('keeps the probes a chaos run judges recovery by on every service', () => {
    for (const d of byKind(objects, 'Deployment')) {
      const c = d.spec.template.spec.containers[0];
      assert.ok(c.readinessProbe && c.livenessProbe, `${componentOf(d)} has no readiness or liveness probe`);
    }
  });
});

describe('chaos runner values', () => {
  it('renders no chaos-runner objects and no ADMIN_LISTEN_ADDR with the default values', () => {
    const objects = render();
    assert.deepEqual(chaosObjects(objects).map((o) => `${o.kind}/${o.metadata.name}`), []);
    assert.deepEqual(byKind(objects, 'ServiceAccount').map((o) => o.metadata.name), [`${release}-shop-reference`]);
    for (const d of byKind(objects, 'Deployment')) assert.equal(envOf(d).ADMIN_LISTEN_ADDR, undefined, componentOf(d));
  });

  it('gives ADMIN_LISTEN_ADDR only to services with an admin port (not Redis, not a service without one)', () => {
    const extra = { enabled: true, args: ['sidecar'], ports: [{ name: 'http', containerPort: 8081 }],
                    service: { port: 81, targetPort: 'http' } };
    const objects = render({ values: [{ services: { extra, redis: { enabled: true } } }], sets: ['adminToken.listenOnPodIP=true'] });
    const listening = byKind(objects, 'Deployment').filter((d) => envOf(d).ADMIN_LISTEN_ADDR !== undefined).map(componentOf).sort();
    assert.deepEqual(listening, withAdminPort(defaultValues()));
    assert.ok(!listening.includes('redis') && !listening.includes('extra'));
    assert.equal(envOf(find(objects, 'Deployment', componentName('redis'))).ADMIN_LISTEN_ADDR, undefined);
    assert.deepEqual(kubernetesErrors(objects), []);
  });

  it('leaves ADMIN_LISTEN_ADDR to a service\'s own env while listenOnPodIP is off', () => {
    const objects = render({ values: [{ services: { cart: { env: { ADMIN_LISTEN_ADDR: '::' } } } }] });
    assert.equal(envOf(find(objects, 'Deployment', componentName('cart'))).ADMIN_LISTEN_ADDR, '::');
    assert.equal(envOf(find(objects, 'Deployment', componentName('payment'))).ADMIN_LISTEN_ADDR, undefined);
  });

  it('creates the RBAC without listenOnPodIP, and listenOnPodIP without the RBAC', () => {
    const rbacOnly = render({ sets: ['chaosRunner.rbac.create=true'] });
    assert.equal(chaosObjects(rbacOnly).length, 3);
    for (const d of byKind(rbacOnly, 'Deployment')) assert.equal(envOf(d).ADMIN_LISTEN_ADDR, undefined);
    const listenOnly = render({ sets: ['adminToken.listenOnPodIP=true'] });
    assert.equal(chaosObjects(listenOnly).length, 0);
  });

  it('names the admin Secret from adminToken.existingSecret, and drops the Secret rule without a token', () => {
    const existing = render({ values: [chaosValues], sets: ['adminToken.existingSecret=shop-admin'] });
    assert.equal(byKind(existing, 'Secret').length, 0);
    const role = find(existing, 'Role', runnerName);
    assert.deepEqual(secretRule(role), [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['shop-admin'], verbs: ['get'] }]);
    assert.equal(envOf(find(existing, 'Deployment', componentName('cart'))).ADMIN_TOKEN.secretKeyRef.name, 'shop-admin');
    assert.deepEqual(role.rules.filter((r) => !r.resources.includes('secrets')),
                     adapterRules.filter((r) => !r.resources.includes('secrets')));

    const off = render({ sets: ['chaosRunner.rbac.create=true', 'adminToken.enabled=false'] });
    assert.deepEqual(secretRule(find(off, 'Role', runnerName)), []);
    assert.deepEqual(find(off, 'Role', runnerName).rules, adapterRules.filter((r) => !r.resources.includes('secrets')));
  });

  it('uses serviceAccount.name and .annotations, and binds extraSubjects with their defaults filled in', () => {
    const objects = render({ values: [chaosValues, {
      chaosRunner: {
        serviceAccount: { name: 'stampede-chaos', annotations: { 'iam.gke.io/gcp-service-account': 'chaos@p.iam.gserviceaccount.com' } },
        rbac: { extraSubjects: [{ kind: 'User', name: 'system:ci:bot' },
                                { kind: 'Group', name: 'sre', apiGroup: 'rbac.authorization.k8s.io' },
                                { kind: 'ServiceAccount', name: 'coordinator' },
                                { kind: 'ServiceAccount', name: 'agent', namespace: 'load' }] },
      },
    }] });
    assert.deepEqual(kubernetesErrors(objects), []);
    const sa = find(objects, 'ServiceAccount', 'stampede-chaos');
    assert.deepEqual(sa.metadata.annotations, { 'iam.gke.io/gcp-service-account': 'chaos@p.iam.gserviceaccount.com' });
    // The Role and RoleBinding keep the release's name; only the account is renamed.
    const rb = find(objects, 'RoleBinding', runnerName);
    assert.equal(rb.roleRef.name, find(objects, 'Role', runnerName).metadata.name);
    assert.deepEqual(rb.subjects, [
      { kind: 'ServiceAccount', name: 'stampede-chaos', namespace },
      { kind: 'User', name: 'system:ci:bot', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'Group', name: 'sre', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'coordinator', namespace },
      { kind: 'ServiceAccount', name: 'agent', namespace: 'load' },
    ]);
  });

  it('keeps the chaos runner\'s names valid with the longest release name', () => {
    const name = 'a'.repeat(53);
    const objects = template({ name, values: [chaosValues] });
    const names = chaosObjects(objects).map((o) => o.metadata.name);
    assert.equal(names.length, 3);
    for (const n of names) {
      assert.ok(n.length <= 63, `${n} is too long`);
      assert.ok(n.endsWith('-chaos-runner'), n);
    }
    assert.deepEqual(kubernetesErrors(objects), []);
  });

  it('says in NOTES.txt how the runner and the knobs are reached', () => {
    const notesOf = (args) => renderNotes({ extraArgs: ['--namespace', namespace], ...args });
    const chaos = notesOf({ values: [chaosValues] });
    assert.match(chaos, /listen on each pod's address .*\n.*X-Admin-Token/);
    assert.match(chaos, new RegExp(`run it as ServiceAccount ${runnerName}\\n\\(Role ${runnerName}, this namespace only\\)`));
    assert.match(chaos, new RegExp(`auth can-i --list --as system:serviceaccount:${namespace}:${runnerName}`));
    const plain = notesOf({});
    assert.match(plain, /listen on 127\.0\.0\.1 inside each pod/);
    assert.doesNotMatch(plain, /chaos runner/);
  });

  it('rejects chaos values that cannot work, naming the key', () => {
    const cases = [
      [{ adminToken: { enabled: false, listenOnPodIP: true } },
       /adminToken\.listenOnPodIP: true, but adminToken\.enabled is false: there is no admin endpoint to listen/],
      [{ chaosRunner: { rbac: { create: true }, serviceAccount: { name: `${release}-shop-reference` } } },
       /chaosRunner\.serviceAccount\.name: "rel-shop-reference" is the shop's own ServiceAccount/],
      [{ serviceAccount: { create: false }, chaosRunner: { rbac: { create: true }, serviceAccount: { name: 'default' } } },
       /chaosRunner\.serviceAccount\.name: "default" is the shop's own ServiceAccount/],
    ];
    for (const [values, pattern] of cases) assert.match(templateFailure({ values: [values] }), pattern);
  });
});
