// The Kubernetes validator itself: it accepts a good object and rejects each kind of broken
// one, naming the object and the key path. Without this, "every rendered object validates"
// would prove nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubernetesVersion } from './k8s_schema.mjs';
import { kubernetesErrors } from './validate.mjs';

function deployment() {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{
            name: 'web',
            image: 'nginx:1.27',
            ports: [{ name: 'http', containerPort: 8080 }],
            env: [{ name: 'PORT', value: '8080' }],
            livenessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
            readinessProbe: { grpc: { port: 8080 } },
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          }],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

function broken(mutate) {
  const o = deployment();
  mutate(o);
  return o;
}

const container = (o) => o.spec.template.spec.containers[0];

// Each case: a broken object and a pattern the error must match (object, key path, reason).
const cases = {
  'unknown field': [broken((o) => { container(o).livenesProbe = {}; }),
                    /Deployment\/web: spec\.template\.spec\.containers\[0\]\.livenesProbe: .*known properties/],
  'wrong type': [broken((o) => { o.spec.replicas = 'two'; }),
                 /Deployment\/web: spec\.replicas: Type 'string' is not assignable to type 'number'/],
  'missing required field': [broken((o) => { delete container(o).name; }),
                             /Deployment\/web: spec\.template\.spec\.containers\[0\]: Property 'name' is missing/],
  'unknown kind': [broken((o) => { o.kind = 'Deploy'; }), /Deploy\/web: .*no exported member 'Deploy'/],
  'unknown apiVersion': [broken((o) => { o.apiVersion = 'apps/v9'; }), /apiVersion: apps\/v9 is not an API of Kubernetes/],
  'apiVersion that does not serve the kind': [broken((o) => { o.apiVersion = 'v1'; }), /no exported member 'Deployment'/],
  'selector that misses the template': [broken((o) => { o.spec.selector.matchLabels.app = 'api'; }),
                                        /spec\.selector: does not match the template's labels/],
  'bad port name': [broken((o) => { container(o).ports[0].name = 'http_port'; }),
                    /containers\[0\]\.ports\[0\]\.name: "http_port" is not an IANA service name/],
  'probe on an unknown port name': [broken((o) => { container(o).livenessProbe.httpGet.port = 'web'; }),
                                    /livenessProbe\.httpGet\.port: no container port named web/],
  'two probe handlers': [broken((o) => { container(o).livenessProbe.tcpSocket = { port: 8080 }; }),
                         /livenessProbe: must have exactly one handler, has 2/],
  'liveness successThreshold above 1': [broken((o) => { container(o).livenessProbe.successThreshold = 2; }),
                                        /livenessProbe\.successThreshold: must be 1/],
  'request above limit': [broken((o) => { container(o).resources.requests.cpu = '1500m'; }),
                          /resources\.requests\.cpu: request 1500m is above the limit 1/],
  'bad quantity': [broken((o) => { container(o).resources.limits.memory = '128 MB'; }),
                   /resources\.limits\.memory: "128 MB" is not a quantity/],
  'mount of a missing volume': [broken((o) => { container(o).volumeMounts[0].name = 'scratch'; }),
                                /volumeMounts\[0\]\.name: no volume named scratch/],
  'duplicate env': [broken((o) => { container(o).env.push({ name: 'PORT', value: '1' }); }), /env\[1\]\.name: PORT is set twice/],
  'rolling update that cannot progress': [broken((o) => { o.spec.strategy.rollingUpdate.maxSurge = 0; }),
                                          /maxSurge and maxUnavailable may not both be 0/],
  'bad object name': [broken((o) => { o.metadata.name = 'Web_1'; }), /metadata\.name: "Web_1" is not a DNS-1123 subdomain/],
  'bad label value': [broken((o) => { o.metadata.labels['app.kubernetes.io/name'] = 'a b'; }),
                      /metadata\.labels\.app\.kubernetes\.io\/name: label value "a b" is invalid/],
};

describe(`Kubernetes ${kubernetesVersion} validator`, () => {
  it('accepts a valid Deployment', () => {
    assert.deepEqual(kubernetesErrors([deployment()]), []);
  });

  for (const [name, [object, pattern]] of Object.entries(cases)) {
    it(`rejects ${name}`, () => {
      const errors = kubernetesErrors([object]);
      assert.ok(errors.some((e) => pattern.test(e)), `no error matches ${pattern}; got:\n${errors.join('\n')}`);
    });
  }

  it('rejects a Service whose name is not a DNS-1035 label and one without ports', () => {
    const errors = kubernetesErrors([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: '1web' }, spec: { ports: [] } },
    ]);
    assert.ok(errors.some((e) => /Service\/1web: metadata\.name: "1web" is not a DNS-1035 label/.test(e)), errors.join('\n'));
    assert.ok(errors.some((e) => /spec\.ports: at least one port is required/.test(e)), errors.join('\n'));
  });

  it('rejects an HPA with minReplicas above maxReplicas and a PDB with both bounds', () => {
    const errors = kubernetesErrors([
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 5, maxReplicas: 2 } },
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' },
        spec: { minAvailable: 1, maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } },
    ]);
    assert.ok(errors.some((e) => /HorizontalPodAutoscaler\/web: spec\.maxReplicas/.test(e)), errors.join('\n'));
    assert.ok(errors.some((e) => /PodDisruptionBudget\/web: spec: needs exactly one of/.test(e)), errors.join('\n'));
  });

  const role = () => ({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'runner', namespace: 'shop' },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'delete'] }],
  });
  const binding = () => ({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'runner', namespace: 'shop' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'runner' },
    subjects: [{ kind: 'ServiceAccount', name: 'runner', namespace: 'shop' },
               { kind: 'User', name: 'ci-bot', apiGroup: 'rbac.authorization.k8s.io' }],
  });
  const errorsOf = (object, mutate) => {
    mutate(object);
    return kubernetesErrors([object]);
  };

  it('accepts a valid Role and RoleBinding', () => {
    assert.deepEqual(kubernetesErrors([role(), binding()]), []);
  });

  it('rejects Role rules the API server refuses', () => {
    const cases = [
      [(r) => { r.rules[0].verbs = []; }, /Role\/runner: rules\[0\]\.verbs: at least one verb is required/],
      [(r) => { r.rules[0].nonResourceURLs = ['/metrics']; }, /rules\[0\]\.nonResourceURLs: namespaced rules cannot apply/],
      [(r) => { delete r.rules[0].apiGroups; }, /rules\[0\]\.apiGroups: resource rules must supply at least one api group/],
      [(r) => { r.rules[0].resources = []; }, /rules\[0\]\.resources: resource rules must supply at least one resource/],
      [(r) => { r.rules[0].verb = ['get']; }, /rules\[0\]\.verb: .*known properties/],
    ];
    for (const [mutate, pattern] of cases) {
      const errors = errorsOf(role(), mutate);
      assert.ok(errors.some((e) => pattern.test(e)), `no error matches ${pattern}; got:\n${errors.join('\n')}`);
    }
  });

  it('rejects RoleBindings the API server refuses', () => {
    const cases = [
      [(b) => { b.roleRef.apiGroup = 'rbac'; }, /RoleBinding\/runner: roleRef\.apiGroup: must be rbac\.authorization\.k8s\.io/],
      [(b) => { b.roleRef.kind = 'Roles'; }, /roleRef\.kind: must be Role or ClusterRole/],
      [(b) => { b.roleRef.name = 'a/b'; }, /roleRef\.name: "a\/b" is not a valid name/],
      [(b) => { b.subjects[0].apiGroup = 'v1'; }, /subjects\[0\]\.apiGroup: must be "" for a ServiceAccount/],
      [(b) => { b.subjects[0].name = 'Runner_1'; }, /subjects\[0\]\.name: "Runner_1" is not a DNS-1123 subdomain/],
      [(b) => { delete b.subjects[1].apiGroup; }, /subjects\[1\]\.apiGroup: must be rbac\.authorization\.k8s\.io/],
      [(b) => { b.subjects[1].kind = 'Robot'; }, /subjects\[1\]\.kind: "Robot" is not ServiceAccount, User or Group/],
      [(b) => { delete b.roleRef; }, /Property 'roleRef' is missing/],
    ];
    for (const [mutate, pattern] of cases) {
      const errors = errorsOf(binding(), mutate);
      assert.ok(errors.some((e) => pattern.test(e)), `no error matches ${pattern}; got:\n${errors.join('\n')}`);
    }
  });

  it('rejects an HPA field from a later autoscaling API', () => {
    const errors = kubernetesErrors([
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
        spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 2, targetCPU: 50 } },
    ]);
    assert.ok(errors.some((e) => /spec\.targetCPU: .*known properties/.test(e)), errors.join('\n'));
  });
});
