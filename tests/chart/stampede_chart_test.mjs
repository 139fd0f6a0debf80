// charts/stampede, the in-cluster test run: helm lint --strict, every rendered object valid for a
// Kubernetes 1.30 API server (schema and apiserver rules) in both modes and with every option
// on; the coordinator Job, its Service and the runners' Indexed Job wired to each other; no API
// rights anywhere without chaos; the segment wrapper's segments adding up to the whole; the
// ConfigMap's files; the helm test hook; values that cannot work refused, naming the key.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  find, release, renderNotes, repoDir, runHelm, stampedeChartDir as chart, template, templateFailure, valuesFile,
} from './helm.mjs';
import { kubernetesErrors } from './validate.mjs';

const namespace = 'load';
// Most checks are of mode fleet, so the helpers render it unless `sets` choose another mode (a
// later --set wins); the chart's own default, segments, is checked on its own below.
const fleet = (sets) => ['mode=fleet', ...sets];
const render = ({ values = [], sets = [], extraArgs = [], name } = {}) =>
  template({ chart, values, sets: fleet(sets), name, extraArgs: ['--namespace', namespace, ...extraArgs] });
const failure = ({ values = [], sets = [], extraArgs = [] } = {}) =>
  templateFailure({ chart, values, sets: fleet(sets), extraArgs: ['--namespace', namespace, ...extraArgs] });
const full = `${release}-stampede`;
const chaosValues = path.join(chart, 'values-chaos.yaml');
// values-chaos.yaml runs pod_kill.lua with its traffic.lua.
const chaosFiles = ['--set-file', `script.content=${path.join(repoDir, 'scenarios/chaos/pod_kill.lua')}`,
                    '--set-file', `script.files.traffic\\.lua=${path.join(repoDir, 'scenarios/chaos/traffic.lua')}`];
const rbacKinds = ['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];
const jobs = (objects) => objects.filter((o) => o.kind === 'Job');
const podSpecs = (objects) => jobs(objects).map((j) => j.spec.template.spec);
const container = (job) => job.spec.template.spec.containers[0];
const matches = (selector, labels) => Object.entries(selector).every(([k, v]) => labels?.[k] === v);

const everything = {
  mode: 'fleet',
  runners: { count: 5, nodeSelector: { pool: 'load' }, tolerations: [{ key: 'load', operator: 'Exists', effect: 'NoSchedule' }],
             podAnnotations: { team: 'sre' } },
  coordinator: { tolerateAgentLoss: true },
  results: { persistence: { enabled: true, storageClass: 'fast', accessModes: ['ReadWriteOnce'], size: '2Gi' } },
  pushgateway: { url: 'http://pushgateway.monitoring.svc:9091', job: 'nightly', labels: { branch: 'main' } },
  script: { env: { BASE: 'http://shop-shop-reference-frontend.shop.svc', RATE: 50 } },
  runArgs: ['--threads', '2'],
  activeDeadlineSeconds: 3600,
  imagePullSecrets: [{ name: 'registry' }],
  test: { enabled: true },
};

describe('charts/stampede: lint and the Kubernetes schema', () => {
  const cases = [
    ['the default values', []],
    ['values-chaos.yaml', ['-f', chaosValues, ...chaosFiles]],
    ['mode segments', ['--set', 'mode=segments']],
    ['every option on', ['-f', 'EVERYTHING']],
    ['mode segments with every option', ['-f', 'EVERYTHING', '--set', 'mode=segments']],
  ];
  const everythingFile = valuesFile(everything);
  for (const [label, args] of cases) {
    const resolved = args.map((a) => (a === 'EVERYTHING' ? everythingFile : a));
    it(`helm lint --strict passes with ${label}`, () => {
      const r = runHelm(['lint', '--strict', chart, '--namespace', namespace, ...resolved]);
      assert.equal(r.status, 0, `helm lint failed:\n${r.stdout}${r.stderr}`);
      assert.doesNotMatch(r.stdout, /\[(WARNING|ERROR)\]/, r.stdout);
      // helm lint reports a template's fail() as INFO only.
      assert.doesNotMatch(r.stdout + r.stderr, /Fail:/, r.stderr);
    });
    it(`renders only objects a 1.30 API server accepts with ${label}`, () => {
      const objects = render({ extraArgs: resolved });
      assert.ok(objects.length >= 2);
      assert.deepEqual(kubernetesErrors(objects), []);
    });
  }
});

describe('the default mode', () => {
  it('is segments (fleet needs the coordinator, not in this version) and its NOTES say so of fleet', () => {
    const objects = template({ chart, extraArgs: ['--namespace', namespace] });
    assert.equal(objects.filter((o) => o.kind === 'Job').map((o) => o.metadata.name).join(), `${full}-runners`);
    assert.doesNotMatch(renderNotes({ chart, extraArgs: ['--namespace', namespace] }), /WARNING/);
    assert.match(renderNotes({ chart, sets: ['mode=fleet'], extraArgs: ['--namespace', namespace] }),
                 /WARNING: mode fleet runs `stampede coordinate` and `stampede agent`, which this stampede version\ndoes not have yet/);
  });
});

describe('mode fleet: coordinator and agents', () => {
  const objects = render();
  const coordinator = find(objects, 'Job', `${full}-coordinator`);
  const runners = find(objects, 'Job', `${full}-runners`);
  const service = find(objects, 'Service', `${full}-coordinator`);

  it('renders the script ConfigMap, the token Secret, the coordinator Job and Service and the runners', () => {
    assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort(), [
      `ConfigMap/${full}-script`, `Job/${full}-coordinator`, `Job/${full}-runners`,
      `Secret/${full}-token`, `Service/${full}-coordinator`,
    ]);
    for (const o of objects) assert.equal(o.metadata.namespace, namespace, `${o.kind}/${o.metadata.name}`);
  });

  it('runs one coordinator whose exit code is the Job\'s outcome', () => {
    assert.equal(coordinator.spec.completions, 1);
    assert.equal(coordinator.spec.parallelism, 1);
    assert.equal(coordinator.spec.backoffLimit, 0);
    assert.equal(coordinator.spec.completionMode, undefined);
    assert.equal(coordinator.spec.ttlSecondsAfterFinished, 3600);
    assert.equal(coordinator.spec.template.spec.restartPolicy, 'Never');
    const [verdicts, disruption] = coordinator.spec.podFailurePolicy.rules;
    assert.deepEqual(verdicts, { action: 'FailJob', onExitCodes: { containerName: 'stampede', operator: 'In', values: [99, 104, 105, 107, 108] } });
    assert.deepEqual(disruption, { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] });
    const c = container(coordinator);
    assert.deepEqual(c.command, ['stampede']);
    assert.deepEqual(c.args, ['coordinate', '/etc/stampede/script/example.lua', '--agents', '2',
                              '--listen', '0.0.0.0:7700', '--token-file', '/etc/stampede/token/token',
                              '--join-timeout', '5m', '--quiet', '--out', '/results',
                              '--metrics-addr', '0.0.0.0:9464']);
  });

  it('announces the coordinator\'s /metrics to Prometheus', () => {
    assert.deepEqual(coordinator.spec.template.metadata.annotations,
                     { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9464', 'prometheus.io/path': '/metrics' });
    assert.deepEqual(container(coordinator).ports, [{ name: 'fleet', containerPort: 7700 }, { name: 'metrics', containerPort: 9464 }]);
    const off = find(render({ sets: ['metrics.scrapeAnnotations=false'] }), 'Job', `${full}-coordinator`);
    assert.equal(off.spec.template.metadata.annotations, undefined);
  });

  it('puts the Service in front of the coordinator pod only, on its ports', () => {
    assert.ok(matches(service.spec.selector, coordinator.spec.template.metadata.labels));
    assert.ok(!matches(service.spec.selector, runners.spec.template.metadata.labels));
    const ports = container(coordinator).ports.map((p) => p.name);
    for (const p of service.spec.ports) assert.ok(ports.includes(p.targetPort), p.targetPort);
  });

  it('runs the agents as an Indexed Job that joins that Service with its completion index', () => {
    assert.equal(runners.spec.completionMode, 'Indexed');
    assert.equal(runners.spec.completions, 2);
    assert.equal(runners.spec.parallelism, 2);
    assert.equal(runners.spec.backoffLimit, 0);
    assert.ok(runners.spec.podFailurePolicy);
    const c = container(runners);
    assert.deepEqual(c.command, ['stampede']);
    assert.deepEqual(c.args, ['agent', '--coordinator', `${service.metadata.name}:${service.spec.ports[0].port}`,
                              '--index', '$(JOB_COMPLETION_INDEX)', '--token-file', '/etc/stampede/token/token']);
    assert.deepEqual(c.env, [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: {
      fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }]);
    const scaled = find(render({ sets: ['runners.count=7', 'runners.backoffLimit=3'] }), 'Job', `${full}-runners`);
    assert.equal(scaled.spec.completions, 7);
    assert.equal(scaled.spec.parallelism, 7);
    assert.equal(scaled.spec.backoffLimit, 3);
    assert.equal(find(render({ sets: ['runners.count=7'] }), 'Job', `${full}-coordinator`).spec.template.spec.containers[0].args[3], '7');
  });

  it('spreads the runners over nodes, selecting exactly the runner pods', () => {
    const [spread] = runners.spec.template.spec.topologySpreadConstraints;
    assert.equal(spread.topologyKey, 'kubernetes.io/hostname');
    assert.equal(spread.maxSkew, 1);
    assert.equal(spread.whenUnsatisfiable, 'ScheduleAnyway');
    assert.ok(matches(spread.labelSelector.matchLabels, runners.spec.template.metadata.labels));
    assert.ok(!matches(spread.labelSelector.matchLabels, coordinator.spec.template.metadata.labels));
    const off = find(render({ sets: ['runners.topologySpread.enabled=false'] }), 'Job', `${full}-runners`);
    assert.equal(off.spec.template.spec.topologySpreadConstraints, undefined);
  });

  it('gives both pods the token, the script and writable /work and /results on a read-only root', () => {
    const secret = find(objects, 'Secret', `${full}-token`);
    assert.equal(Buffer.from(secret.data.token, 'base64').toString().length, 40);
    const configMap = find(objects, 'ConfigMap', `${full}-script`);
    for (const job of [coordinator, runners]) {
      const spec = job.spec.template.spec;
      const volumes = Object.fromEntries(spec.volumes.map((v) => [v.name, v]));
      assert.equal(volumes.token.secret.secretName, secret.metadata.name);
      assert.equal(volumes.script.configMap.name, configMap.metadata.name);
      assert.deepEqual(volumes.results, { name: 'results', emptyDir: {} });
      const mounts = Object.fromEntries(container(job).volumeMounts.map((m) => [m.mountPath, m]));
      assert.equal(mounts['/etc/stampede/script'].readOnly, true);
      assert.ok(mounts['/work'] && mounts['/results'] && mounts['/etc/stampede/token']);
      assert.equal(container(job).workingDir, '/work');
      assert.equal(container(job).securityContext.readOnlyRootFilesystem, true);
      assert.equal(spec.securityContext.runAsNonRoot, true);
      assert.ok(container(job).resources.requests.cpu);
    }
  });

  it('says in NOTES.txt how to wait for the verdict', () => {
    const notes = renderNotes({ chart, sets: ['mode=fleet'], extraArgs: ['--namespace', namespace] });
    assert.match(notes, new RegExp(`kubectl -n ${namespace} wait --for=condition=complete job/${full}-coordinator`));
    assert.doesNotMatch(notes, /chaos plan/);
  });
});

describe('no chaos, no API rights', () => {
  for (const [label, sets] of [['fleet', []], ['segments', ['mode=segments']]]) {
    it(`renders no ServiceAccount, Role or binding and mounts no API token (${label})`, () => {
      const objects = render({ sets });
      assert.deepEqual(objects.filter((o) => rbacKinds.includes(o.kind)).map((o) => o.kind), []);
      for (const spec of podSpecs(objects)) {
        assert.equal(spec.automountServiceAccountToken, false);
        assert.equal(spec.serviceAccountName, undefined);
      }
    });
  }
  it('keeps the runners without API rights when the coordinator has chaos rights', () => {
    const objects = render({ extraArgs: ['-f', chaosValues, ...chaosFiles] });
    const runners = find(objects, 'Job', `${full}-runners`).spec.template.spec;
    assert.equal(runners.automountServiceAccountToken, false);
    assert.equal(runners.serviceAccountName, undefined);
    const coordinator = find(objects, 'Job', `${full}-coordinator`).spec.template.spec;
    assert.equal(coordinator.serviceAccountName, `${full}-chaos`);
    assert.equal(coordinator.automountServiceAccountToken, true);
  });
});

describe('mode segments: one execution segment per runner, no coordinator', () => {
  const count = 4;
  const objects = render({ sets: ['mode=segments', `runners.count=${count}`, 'script.env.BASE=http://x'] });
  const runners = find(objects, 'Job', `${full}-runners`);

  it('renders no coordinator, Service or token', () => {
    assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort(), [`ConfigMap/${full}-script`, `Job/${full}-runners`]);
    assert.equal(runners.spec.completionMode, 'Indexed');
    assert.equal(runners.spec.completions, count);
    assert.equal(runners.spec.parallelism, count);
    assert.equal(runners.spec.template.metadata.annotations['prometheus.io/scrape'], 'true');
  });

  // The pod's command, run by sh with a `stampede` that prints its arguments, for each index.
  function runWrapper(index) {
    const c = container(runners);
    assert.deepEqual(c.command, ['/bin/sh', '-ec']);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stampede-segment-'));
    try {
      fs.writeFileSync(path.join(dir, 'stampede'), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n', { mode: 0o755 });
      const out = execFileSync('/bin/sh', ['-ec', ...c.args], {
        encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin`, JOB_COMPLETION_INDEX: String(index) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return out.trimEnd().split('\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const value = (s) => { const [n, d] = s.split('/'); return d ? Number(n) / Number(d) : Number(n); };

  it('runs `stampede run` on segment i/N:(i+1)/N of the sequence 0,1/N,...,1, out to /results/<i>', () => {
    const segments = [];
    for (let i = 0; i < count; ++i) {
      const args = runWrapper(i);
      assert.deepEqual(args.slice(0, 7), ['run', '/etc/stampede/script/example.lua', '--quiet',
                                          '--metrics-addr', '0.0.0.0:9464', '-e', 'BASE=http://x']);
      const at = (flag) => args[args.indexOf(flag) + 1];
      assert.equal(at('--execution-segment-sequence'), '0,1/4,2/4,3/4,1');
      assert.equal(at('--out'), `/results/${i}`);
      segments.push(at('--execution-segment'));
    }
    assert.deepEqual(segments, ['0:1/4', '1/4:2/4', '2/4:3/4', '3/4:1']);
    // The segments tile [0, 1]: each starts where the previous ended.
    let end = 0;
    for (const s of segments) {
      const [from, to] = s.split(':').map(value);
      assert.equal(from, end);
      assert.ok(to > from);
      end = to;
    }
    assert.equal(end, 1);
  });

  it('refuses to run outside an Indexed Job pod', () => {
    assert.throws(() => execFileSync('/bin/sh', ['-ec', ...container(runners).args], { env: { PATH: '/usr/bin:/bin' }, stdio: 'pipe' }),
                  /JOB_COMPLETION_INDEX: is not set: not a pod of an Indexed Job/);
  });

  it('runs one segment 0:1 with one runner', () => {
    const one = find(render({ sets: ['mode=segments', 'runners.count=1'] }), 'Job', `${full}-runners`);
    assert.match(container(one).args[0], /--execution-segment-sequence 0,1 /);
  });

  it('gives each runner the PVC, and says how to wait for the runners', () => {
    const withPvc = render({ sets: ['mode=segments', 'results.persistence.enabled=true', 'results.persistence.accessModes[0]=ReadWriteMany'] });
    const claim = find(withPvc, 'PersistentVolumeClaim', `${full}-results`);
    assert.deepEqual(claim.spec.accessModes, ['ReadWriteMany']);
    const volumes = find(withPvc, 'Job', `${full}-runners`).spec.template.spec.volumes;
    assert.equal(volumes.find((v) => v.name === 'results').persistentVolumeClaim.claimName, claim.metadata.name);
    const notes = renderNotes({ chart, sets: ['mode=segments'], extraArgs: ['--namespace', namespace] });
    assert.match(notes, new RegExp(`wait --for=condition=complete job/${full}-runners`));
  });
});

describe('options', () => {
  const objects = render({ extraArgs: ['-f', valuesFile(everything)] });
  const coordinator = find(objects, 'Job', `${full}-coordinator`);
  const args = container(coordinator).args;

  it('passes the script env, the Pushgateway, runArgs and agent-loss tolerance to the coordinator', () => {
    const tail = args.slice(args.indexOf('--out'));
    assert.deepEqual(tail, ['--out', '/results', '--metrics-addr', '0.0.0.0:9464',
      '-e', 'BASE=http://shop-shop-reference-frontend.shop.svc', '-e', 'RATE=50',
      '--pushgateway', 'http://pushgateway.monitoring.svc:9091', '--pushgateway-job', 'nightly',
      '--pushgateway-label', 'branch=main', '--threads', '2']);
    assert.ok(args.includes('--tolerate-agent-loss'));
    const defaultJob = container(find(render({ sets: ['pushgateway.url=http://pg:9091'] }), 'Job', `${full}-coordinator`)).args;
    assert.equal(defaultJob[defaultJob.indexOf('--pushgateway-job') + 1], full);
  });

  it('mounts the results claim in the coordinator and bounds both Jobs', () => {
    const claim = find(objects, 'PersistentVolumeClaim', `${full}-results`);
    assert.equal(claim.spec.storageClassName, 'fast');
    assert.equal(claim.spec.resources.requests.storage, '2Gi');
    const volumes = coordinator.spec.template.spec.volumes;
    assert.equal(volumes.find((v) => v.name === 'results').persistentVolumeClaim.claimName, claim.metadata.name);
    for (const job of jobs(objects)) assert.equal(job.spec.activeDeadlineSeconds, 3600);
    const runners = find(objects, 'Job', `${full}-runners`);
    assert.deepEqual(runners.spec.template.spec.nodeSelector, { pool: 'load' });
    assert.equal(runners.spec.template.metadata.annotations.team, 'sre');
    assert.equal(find(render({ values: [{ ttlSecondsAfterFinished: null }] }), 'Job', `${full}-runners`).spec.ttlSecondsAfterFinished, undefined);
  });

  it('has a helm test hook that reads the verdict Job, by name, and nothing else', () => {
    const hooks = objects.filter((o) => o.metadata.annotations?.['helm.sh/hook'] === 'test');
    assert.deepEqual(hooks.map((o) => o.kind).sort(), ['Pod', 'Role', 'RoleBinding', 'ServiceAccount']);
    const role = hooks.find((o) => o.kind === 'Role');
    assert.deepEqual(role.rules, [{ apiGroups: ['batch'], resources: ['jobs'], resourceNames: [`${full}-coordinator`], verbs: ['get'] }]);
    const pod = hooks.find((o) => o.kind === 'Pod');
    assert.equal(pod.spec.serviceAccountName, hooks.find((o) => o.kind === 'ServiceAccount').metadata.name);
    assert.match(pod.spec.containers[0].args[0], new RegExp(`job=${full}-coordinator\\n`));
    const segments = render({ extraArgs: ['-f', valuesFile(everything)], sets: ['mode=segments'] });
    const segRole = segments.find((o) => o.kind === 'Role');
    assert.deepEqual(segRole.rules[0].resourceNames, [`${full}-runners`]);
  });

  it('puts the chart\'s files/, script.files and script.content in the ConfigMap, content winning', () => {
    const cm = find(render({ values: [{ script: { name: 'test.lua', content: 'function default() end\n',
                                                  files: { 'users.csv': 'a,b\n', 'example.lua': '-- mine\n' } } }] }),
                    'ConfigMap', `${full}-script`);
    assert.deepEqual(Object.keys(cm.data).sort(), ['example.lua', 'test.lua', 'users.csv']);
    assert.equal(cm.data['example.lua'], '-- mine\n');
    assert.equal(cm.data['test.lua'], 'function default() end\n');
    const byDefault = find(render(), 'ConfigMap', `${full}-script`);
    assert.equal(byDefault.data['example.lua'], fs.readFileSync(path.join(chart, 'files/example.lua'), 'utf8'));
  });

  it('keeps every name a DNS label with the longest release name, runner host names included', () => {
    const name = 'a'.repeat(53);
    const long = render({ name, extraArgs: ['-f', valuesFile(everything)] });
    assert.deepEqual(kubernetesErrors(long), []);
    for (const o of long) assert.ok(o.metadata.name.length <= 63, o.metadata.name);
    const runners = long.find((o) => o.kind === 'Job' && o.metadata.name.endsWith('-runners'));
    assert.ok(`${runners.metadata.name}-9999`.length <= 63, runners.metadata.name);
  });
});

describe('values that cannot work are refused, naming the key', () => {
  const cases = [
    [{ sets: ['script.name=missing.lua'] }, /script\.name: "missing\.lua" is not in the script's ConfigMap \(it has: example\.lua\); pass the script with --set-file/],
    [{ sets: ['chaos.enabled=true'] }, /chaos\.rbac: chaos\.enabled but no rules: pass what `stampede rbac SCRIPT -n NAMESPACE` prints/],
    [{ values: [chaosValues], sets: ['mode=segments'], extraArgs: chaosFiles }, /chaos\.enabled: chaos needs mode fleet/],
    [{ values: [chaosValues, { chaos: { rbac: { stampedeRbacOutput: 'kind: Role\nmetadata: {namespace: shop}\nrules: []\n' } } }], extraArgs: chaosFiles },
     /chaos\.rbac: set rules or stampedeRbacOutput, not both/],
    [{ values: [{ chaos: { enabled: true, namespace: 'shop', rbac: { stampedeRbacOutput: 'kind: Role\nmetadata: {namespace: other}\nrules: [{apiGroups: [""], resources: [pods], verbs: [delete]}]\n' } } }] },
     /chaos\.rbac\.stampedeRbacOutput: the Role is for namespace "other" but the chaos plan acts in "shop" \(chaos\.namespace\); run stampede rbac with -n shop/],
    [{ values: [{ chaos: { enabled: true, rbac: { stampedeRbacOutput: 'kind: ClusterRole\n' } } }] },
     /chaos\.rbac\.stampedeRbacOutput: expected the Role `stampede rbac SCRIPT` prints, got kind "ClusterRole"/],
    [{ values: [{ chaos: { enabled: true, rbac: { rules: [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }] } } }] },
     /chaos\.rbac\.rules\[0\]\.resources: "\*" is not least privilege/],
    [{ sets: ['runners.count=0'] }, /runners\.count: Must be greater than or equal to 1/],
    [{ sets: ['mode=both'] }, /mode: mode must be one of the following: "fleet", "segments"/],
    [{ sets: ['pushgateway.url=pushgateway:9091'] }, /pushgateway\.url: Does not match pattern/],
    [{ values: [{ pushgateway: { url: 'http://pg:9091', labels: { job: 'x' } } }] }, /pushgateway\.labels/],
    [{ values: [{ pushgateway: { url: 'http://pg:9091', labels: { branch: 'feature/x' } } }] }, /pushgateway\.labels\.branch: Does not match pattern/],
    [{ sets: ['coordinator.joinTimeout=soon'] }, /coordinator\.joinTimeout: Does not match pattern/],
    [{ values: [{ chaos: { enabled: true, rbac: { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['escalate'] }] } } }] },
     /chaos\.rbac\.rules\.0\.verbs\.0/],
  ];
  for (const [args, pattern] of cases) {
    it(`refuses ${JSON.stringify(args.sets ?? args.values.at(-1)).slice(0, 90)}`, () => {
      assert.match(failure(args), pattern);
    });
  }
});
