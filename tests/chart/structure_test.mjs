// What the rendered chart must say, checked against Online Boutique's contract and the values:
// ports, probes, security context, environment wiring, data volume, admin token, HPA/PDB only
// when enabled, Redis wiring, images, resources, the helm test hook and NOTES.txt.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  chartDir, ciValuesFiles, componentName, defaultValues, find, release, renderNotes, template,
} from './helm.mjs';
import { kubernetesErrors } from './validate.mjs';

const ci = (name) => ciValuesFiles.find((f) => path.basename(f) === `${name}-values.yaml`);
const byKind = (objects, kind) => objects.filter((o) => o.kind === kind);
const deployment = (objects, svc) => find(objects, 'Deployment', componentName(svc));
const container = (objects, svc) => deployment(objects, svc).spec.template.spec.containers[0];
const envOf = (c) => Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
const componentOf = (o) => o.metadata.labels['app.kubernetes.io/component'];

// Online Boutique's contract (not read from values.yaml, so a wrong value fails here):
// main port, Service port and the variable other services find it by.
const boutique = {
  frontend: { port: 8080, servicePort: 80, addressEnv: null },
  productcatalog: { port: 3550, servicePort: 3550, addressEnv: 'PRODUCT_CATALOG_SERVICE_ADDR' },
  currency: { port: 7000, servicePort: 7000, addressEnv: 'CURRENCY_SERVICE_ADDR' },
  cart: { port: 7070, servicePort: 7070, addressEnv: 'CART_SERVICE_ADDR' },
  payment: { port: 50051, servicePort: 50051, addressEnv: 'PAYMENT_SERVICE_ADDR' },
  shipping: { port: 50051, servicePort: 50051, addressEnv: 'SHIPPING_SERVICE_ADDR' },
  email: { port: 8080, servicePort: 5000, addressEnv: 'EMAIL_SERVICE_ADDR' },
  checkout: { port: 5050, servicePort: 5050, addressEnv: 'CHECKOUT_SERVICE_ADDR' },
  recommendation: { port: 8080, servicePort: 8080, addressEnv: 'RECOMMENDATION_SERVICE_ADDR' },
  ad: { port: 9555, servicePort: 9555, addressEnv: 'AD_SERVICE_ADDR' },
  orders: { port: 50052, servicePort: 50052, addressEnv: 'ORDER_SERVICE_ADDR' },
};
const grpcServices = Object.keys(boutique).filter((s) => s !== 'frontend');
// Who needs whom (shop-reference/README.md).
const needs = {
  frontend: ['productcatalog', 'currency', 'cart', 'shipping', 'checkout', 'orders', 'ad', 'recommendation'],
  checkout: ['productcatalog', 'currency', 'cart', 'shipping', 'payment', 'email', 'orders'],
  recommendation: ['productcatalog'],
  orders: ['payment', 'shipping'],
};
const address = (svc) => `${componentName(svc)}:${boutique[svc].servicePort}`;

describe('rendered chart structure', () => {
  const defaults = template();
  const values = defaultValues();

  it('renders a Deployment and a Service per shop service with Online Boutique ports, and no Redis', () => {
    assert.deepEqual(byKind(defaults, 'Deployment').map(componentOf).sort(), Object.keys(boutique).sort());
    assert.deepEqual(byKind(defaults, 'Service').map(componentOf).sort(), Object.keys(boutique).sort());
    for (const [svc, want] of Object.entries(boutique)) {
      const main = container(defaults, svc).ports[0];
      assert.equal(main.containerPort, want.port, `${svc} container port`);
      const service = find(defaults, 'Service', componentName(svc));
      assert.equal(service.spec.ports[0].port, want.servicePort, `${svc} Service port`);
      assert.equal(service.spec.ports[0].targetPort, main.name, `${svc} Service targetPort`);
    }
  });

  it('probes every gRPC service with native grpc liveness and readiness probes on its gRPC port', () => {
    for (const svc of grpcServices) {
      const c = container(defaults, svc);
      const grpcPort = c.ports.find((p) => p.name === 'grpc');
      assert.equal(grpcPort?.containerPort, boutique[svc].port, `${svc} has no grpc port`);
      for (const probe of ['livenessProbe', 'readinessProbe']) {
        assert.deepEqual(c[probe].grpc, { port: grpcPort.containerPort }, `${svc} ${probe}`);
        assert.equal(Object.keys(c[probe]).filter((k) => ['grpc', 'httpGet', 'tcpSocket', 'exec'].includes(k)).length, 1);
      }
    }
  });

  it('probes the frontend with httpGet /_healthz (liveness) and /readyz (readiness) on its http port', () => {
    const c = container(defaults, 'frontend');
    assert.deepEqual(c.ports.find((p) => p.name === 'http')?.containerPort, 8080);
    assert.deepEqual(c.livenessProbe.httpGet, { path: '/_healthz', port: 'http' });
    assert.deepEqual(c.readinessProbe.httpGet, { path: '/readyz', port: 'http' });
  });

  it('passes every probe and the grace period through from the values', () => {
    for (const svc of Object.keys(boutique)) {
      const c = container(defaults, svc);
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        assert.deepEqual(c[probe], values.services[svc][probe] ?? undefined, `${svc} ${probe}`);
      }
      assert.equal(deployment(defaults, svc).spec.template.spec.terminationGracePeriodSeconds,
                   values.services[svc].terminationGracePeriodSeconds);
    }
  });

  it('runs every pod non-root with a read-only root filesystem, no capabilities and a writable /tmp', () => {
    const pods = [...byKind(defaults, 'Deployment').map((d) => d.spec.template.spec), ...byKind(defaults, 'Pod').map((p) => p.spec)];
    assert.equal(pods.length, Object.keys(boutique).length + 1);
    for (const pod of pods) {
      assert.equal(pod.securityContext.runAsNonRoot, true);
      assert.ok(pod.securityContext.runAsUser > 0);
      assert.equal(pod.automountServiceAccountToken, false);
      assert.equal(pod.enableServiceLinks, false);
      for (const c of pod.containers) {
        assert.equal(c.securityContext.readOnlyRootFilesystem, true, c.name);
        assert.equal(c.securityContext.allowPrivilegeEscalation, false, c.name);
        assert.deepEqual(c.securityContext.capabilities.drop, ['ALL'], c.name);
      }
    }
    for (const svc of Object.keys(boutique)) {
      const spec = deployment(defaults, svc).spec.template.spec;
      const tmp = spec.containers[0].volumeMounts.find((m) => m.mountPath === '/tmp');
      assert.deepEqual(spec.volumes.find((v) => v.name === tmp?.name)?.emptyDir, {}, `${svc} /tmp`);
    }
  });

  it("sets each port's env to its containerPort", () => {
    for (const svc of Object.keys(boutique)) {
      const env = envOf(container(defaults, svc));
      for (const port of values.services[svc].ports) {
        assert.equal(env[port.env], String(port.containerPort), `${svc} ${port.env}`);
      }
    }
  });

  it('gives each service the address of every dependency: the right Service and port', () => {
    for (const svc of Object.keys(boutique)) {
      const env = envOf(container(defaults, svc));
      const addrs = Object.keys(env).filter((k) => k.endsWith('_ADDR')).sort();
      const want = (needs[svc] ?? []).map((d) => boutique[d].addressEnv).sort();
      assert.deepEqual(addrs, want, `${svc} address variables`);
      for (const dep of needs[svc] ?? []) assert.equal(env[boutique[dep].addressEnv], address(dep), `${svc} -> ${dep}`);
    }
    // And every address names a rendered Service on that port.
    for (const d of byKind(defaults, 'Deployment')) {
      for (const [name, value] of Object.entries(envOf(d.spec.template.spec.containers[0]))) {
        if (!name.endsWith('_ADDR')) continue;
        const [host, port] = value.split(':');
        assert.equal(find(defaults, 'Service', host).spec.ports[0].port, Number(port), `${name}=${value}`);
      }
    }
  });

  it('leaves disabled services out, and out of their dependents', () => {
    const objects = template({ sets: ['services.ad.enabled=false', 'services.recommendation.enabled=false'] });
    for (const svc of ['ad', 'recommendation']) {
      assert.equal(objects.filter((o) => o.metadata.name === componentName(svc)).length, 0, svc);
    }
    const env = envOf(container(objects, 'frontend'));
    assert.equal(env.AD_SERVICE_ADDR, undefined);
    assert.equal(env.RECOMMENDATION_SERVICE_ADDR, undefined);
    assert.equal(env.CART_SERVICE_ADDR, address('cart'));
  });

  it('puts commonEnv in the ConfigMap every pod reads, and rolls the pods when it changes', () => {
    const cm = find(defaults, 'ConfigMap', `${release}-shop-reference-env`);
    assert.deepEqual(cm.data, Object.fromEntries(Object.entries(values.commonEnv).map(([k, v]) => [k, String(v)])));
    const checksum = (objects) => deployment(objects, 'cart').spec.template.metadata.annotations['checksum/config'];
    for (const d of byKind(defaults, 'Deployment')) {
      assert.deepEqual(d.spec.template.spec.containers[0].envFrom, [{ configMapRef: { name: cm.metadata.name } }]);
    }
    assert.match(checksum(defaults), /^[0-9a-f]{64}$/);
    const changed = template({ sets: ['commonEnv.SHOP_DEADLINE_MS=1000'] });
    assert.equal(find(changed, 'ConfigMap', cm.metadata.name).data.SHOP_DEADLINE_MS, '1000');
    assert.notEqual(checksum(changed), checksum(defaults));
    assert.equal(checksum(template()), checksum(defaults));
  });

  it('mounts the shared claim at /data with SHOP_DATA_DIR for mountData services only', () => {
    const claim = find(defaults, 'PersistentVolumeClaim', `${release}-shop-reference-data`);
    assert.deepEqual(claim.spec.accessModes, values.persistence.accessModes);
    assert.equal(claim.spec.resources.requests.storage, values.persistence.size);
    assert.equal(claim.spec.storageClassName, undefined);
    for (const svc of Object.keys(boutique)) {
      const spec = deployment(defaults, svc).spec.template.spec;
      const mount = spec.containers[0].volumeMounts.find((m) => m.mountPath === '/data');
      const env = envOf(spec.containers[0]);
      if (values.services[svc].mountData) {
        assert.equal(spec.volumes.find((v) => v.name === mount?.name)?.persistentVolumeClaim?.claimName, claim.metadata.name, svc);
        assert.equal(env.SHOP_DATA_DIR, '/data', svc);
      } else {
        assert.equal(mount, undefined, svc);
        assert.equal(env.SHOP_DATA_DIR, undefined, svc);
      }
    }
    assert.deepEqual(['email', 'orders', 'payment'], Object.keys(boutique).filter((s) => values.services[s].mountData).sort());
  });

  it('uses a per-pod emptyDir at /data and no claim when persistence is off', () => {
    const objects = template({ sets: ['persistence.enabled=false'] });
    assert.equal(byKind(objects, 'PersistentVolumeClaim').length, 0);
    const spec = deployment(objects, 'orders').spec.template.spec;
    assert.deepEqual(spec.volumes.find((v) => v.name === 'data'), { name: 'data', emptyDir: {} });
    assert.equal(envOf(spec.containers[0]).SHOP_DATA_DIR, '/data');
  });

  it('passes storageClass through, and "-" as the empty class', () => {
    const claimOf = (sets) => byKind(template({ sets }), 'PersistentVolumeClaim')[0];
    assert.equal(claimOf(['persistence.storageClass=fast']).spec.storageClassName, 'fast');
    assert.equal(claimOf(['persistence.storageClass=-']).spec.storageClassName, '');
  });

  it('gives ADMIN_TOKEN from the Secret to every service with an admin port', () => {
    const secret = find(defaults, 'Secret', `${release}-shop-reference-admin-token`);
    assert.match(Buffer.from(secret.data['admin-token'], 'base64').toString(), /^[A-Za-z0-9]{32}$/);
    for (const svc of Object.keys(boutique)) {
      assert.deepEqual(envOf(container(defaults, svc)).ADMIN_TOKEN,
                       { secretKeyRef: { name: secret.metadata.name, key: 'admin-token' } }, svc);
    }
    const existing = template({ sets: ['adminToken.existingSecret=shop-admin'] });
    assert.equal(byKind(existing, 'Secret').length, 0);
    assert.equal(envOf(container(existing, 'cart')).ADMIN_TOKEN.secretKeyRef.name, 'shop-admin');
    const off = template({ sets: ['adminToken.enabled=false'] });
    assert.equal(byKind(off, 'Secret').length, 0);
    assert.equal(envOf(container(off, 'cart')).ADMIN_TOKEN, undefined);
  });

  it('renders no HPA or PDB by default, and replicas on every Deployment', () => {
    assert.equal(byKind(defaults, 'HorizontalPodAutoscaler').length, 0);
    assert.equal(byKind(defaults, 'PodDisruptionBudget').length, 0);
    for (const svc of Object.keys(boutique)) assert.equal(deployment(defaults, svc).spec.replicas, values.services[svc].replicas);
  });

  it('renders an autoscaling/v2 HPA exactly where autoscaling is on, and then no replicas', () => {
    const objects = template({ values: [ci('hpa-enabled')] });
    const scaled = ['cart', 'checkout', 'currency', 'frontend', 'productcatalog'];
    assert.deepEqual(byKind(objects, 'HorizontalPodAutoscaler').map(componentOf).sort(), scaled);
    for (const svc of Object.keys(boutique)) {
      const d = deployment(objects, svc);
      assert.equal('replicas' in d.spec, !scaled.includes(svc), `${svc} replicas`);
    }
    const hpa = find(objects, 'HorizontalPodAutoscaler', componentName('frontend'));
    assert.equal(hpa.apiVersion, 'autoscaling/v2');
    assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: componentName('frontend') });
    assert.equal(hpa.spec.minReplicas, 2);
    assert.equal(hpa.spec.maxReplicas, 6);
    assert.deepEqual(hpa.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }]);
    assert.deepEqual(hpa.spec.behavior.scaleDown, { stabilizationWindowSeconds: 120, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] });
    const cart = find(objects, 'HorizontalPodAutoscaler', componentName('cart'));
    assert.equal(cart.spec.behavior, undefined, 'empty behavior means Kubernetes defaults');
    assert.equal(cart.spec.metrics[0].resource.target.averageUtilization, 75);
  });

  it('renders a PodDisruptionBudget exactly where pdb is on', () => {
    const objects = template({ values: [ci('everything-on')] });
    const pdbs = byKind(objects, 'PodDisruptionBudget');
    assert.deepEqual(pdbs.map(componentOf).sort(), [...Object.keys(boutique), 'redis'].sort());
    assert.equal(find(objects, 'PodDisruptionBudget', componentName('productcatalog')).spec.minAvailable, '50%');
    assert.equal(find(objects, 'PodDisruptionBudget', componentName('cart')).spec.minAvailable, 1);
    const one = template({ sets: ['services.cart.pdb.enabled=true'] });
    assert.deepEqual(byKind(one, 'PodDisruptionBudget').map(componentOf), ['cart']);
  });

  it('turns strategy into a RollingUpdate', () => {
    assert.deepEqual(deployment(defaults, 'cart').spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    const objects = template({ values: [ci('everything-on')] });
    assert.deepEqual(deployment(objects, 'checkout').spec.strategy.rollingUpdate, { maxSurge: '25%', maxUnavailable: '25%' });
  });

  it('sets minReadySeconds only where it is above 0', () => {
    assert.equal(deployment(defaults, 'cart').spec.minReadySeconds, undefined);
    const objects = template({ sets: ['services.cart.minReadySeconds=5'] });
    assert.equal(deployment(objects, 'cart').spec.minReadySeconds, 5);
    assert.equal(deployment(objects, 'payment').spec.minReadySeconds, undefined);
  });

  it('wires Redis when enabled: its own image and command, REDIS_ADDR for the cart, no admin token', () => {
    assert.equal(envOf(container(defaults, 'cart')).REDIS_ADDR, undefined);
    const objects = template({ values: [ci('redis-enabled')] });
    const redis = container(objects, 'redis');
    assert.equal(redis.image, 'redis:7.2-alpine');
    assert.deepEqual(redis.command, ['redis-server']);
    assert.deepEqual(redis.args, ['--port', '$(REDIS_PORT)', '--save', '', '--appendonly', 'no']);
    const env = envOf(redis);
    assert.equal(env.REDIS_PORT, '6379');
    assert.equal(env.ADMIN_TOKEN, undefined);
    assert.deepEqual(redis.livenessProbe.tcpSocket, { port: 'redis' });
    assert.ok(redis.readinessProbe.exec.command.join(' ').includes('redis-cli'));
    assert.equal(find(objects, 'Service', componentName('redis')).spec.ports[0].port, 6379);
    assert.equal(envOf(container(objects, 'cart')).REDIS_ADDR, `${componentName('redis')}:6379`);
  });

  it("uses the chart's image at appVersion unless image.tag or a service's image says otherwise", () => {
    const chartYaml = fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8');
    const appVersion = /^appVersion:\s*"?([^"\n]+)"?/m.exec(chartYaml)[1];
    assert.equal(container(defaults, 'cart').image, `${values.image.repository}:${appVersion}`);
    assert.equal(container(defaults, 'cart').imagePullPolicy, values.image.pullPolicy);
    assert.deepEqual(container(defaults, 'cart').args, ['cart']);
    assert.equal(container(defaults, 'cart').command, undefined);
    assert.equal(container(template({ sets: ['image.tag=dev'] }), 'cart').image, `${values.image.repository}:dev`);
    const objects = template({ values: [ci('everything-on')] });
    assert.equal(container(objects, 'recommendation').image, 'ghcr.io/stampede-dev/shop-reference:0.1.0-debug');
    assert.deepEqual(deployment(objects, 'cart').spec.template.spec.imagePullSecrets, [{ name: 'registry-credentials' }]);
  });

  it('passes resources through with quantities as strings', () => {
    for (const svc of Object.keys(boutique)) {
      const want = values.services[svc].resources;
      const str = (m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, String(v)]));
      assert.deepEqual(container(defaults, svc).resources, { requests: str(want.requests), limits: str(want.limits) }, svc);
    }
    assert.equal(container(template({ sets: ['services.cart.resources.limits.cpu=2'] }), 'cart').resources.limits.cpu, '2');
  });

  it('renders a service added in the values with only the required keys', () => {
    const extra = { enabled: true, args: ['sidecar'], ports: [{ name: 'http', containerPort: 8081 }],
                    service: { port: 81, targetPort: 'http' } };
    const objects = template({ values: [{ services: { extra, frontend: { dependencies: ['cart'] } } }] });
    assert.deepEqual(kubernetesErrors(objects), []);
    const d = deployment(objects, 'extra');
    assert.equal(d.spec.replicas, 1);
    assert.equal(d.spec.template.spec.containers[0].image, container(objects, 'cart').image);
    assert.equal(find(objects, 'Service', componentName('extra')).spec.ports[0].port, 81);
    assert.equal(template({ values: [{ services: { extra: { ...extra, replicas: 0 } } }] })
      .find((o) => o.kind === 'Deployment' && componentOf(o) === 'extra').spec.replicas, 0);
  });

  it('keeps every name a valid DNS label with the longest release name', () => {
    const name = 'a'.repeat(53);  // Helm's limit for release names
    const objects = template({ name });
    for (const o of objects) assert.ok(o.metadata.name.length <= 63, `${o.kind}/${o.metadata.name} is too long`);
    const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    assert.equal(new Set(names).size, names.length, 'names collide');
    const frontendEnv = envOf(find(objects, 'Deployment', byKind(objects, 'Deployment').find((d) => componentOf(d) === 'frontend').metadata.name).spec.template.spec.containers[0]);
    const [host] = frontendEnv.CART_SERVICE_ADDR.split(':');
    assert.equal(byKind(objects, 'Service').filter((s) => s.metadata.name === host).length, 1);
  });

  it('renders the helm test hook: busybox wget of /_healthz and /readyz through the frontend Service', () => {
    const [pod] = byKind(defaults, 'Pod');
    assert.equal(pod.metadata.annotations['helm.sh/hook'], 'test');
    assert.equal(pod.spec.restartPolicy, 'Never');
    const c = pod.spec.containers[0];
    assert.equal(c.image, `${values.test.image.repository}:${values.test.image.tag}`);
    const script = [...c.command, ...c.args].join(' ');
    const url = `http://${componentName('frontend')}:${boutique.frontend.servicePort}`;
    assert.ok(script.includes(`wget -q -T 5 -O- ${url}/_healthz`), script);
    assert.ok(script.includes(`wget -q -T 5 -O- ${url}/readyz`), script);
    assert.ok(c.command.includes('-ec'), 'the test must fail when a wget fails');
    assert.equal(byKind(template({ extraArgs: ['--skip-tests'] }), 'Pod').length, 0);
    assert.equal(byKind(template({ sets: ['services.frontend.enabled=false'] }), 'Pod').length, 0);
  });

  it('renders NOTES.txt', () => {
    const text = renderNotes();
    assert.match(text, new RegExp(`port-forward service/${componentName('frontend')} 8080:80`));
    assert.match(text, new RegExp(`cart +${componentName('cart')}:7070 \\(1 replicas\\)`));
    assert.match(text, /helm test rel/);
    assert.match(text, /ReadWriteOnce: the pods that mount it must run on one node/);
    const scaled = renderNotes({ values: [ci('hpa-enabled')], sets: ['persistence.enabled=false'] });
    assert.match(scaled, /HPA 2-5 replicas at 75% CPU/);
    assert.match(scaled, /need a metrics API/);
    assert.match(scaled, /WARNING: persistence.enabled is false/);
  });
});
