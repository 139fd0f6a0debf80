// A subset of the Kubernetes API server's validation (pkg/apis/core/validation and friends)
// that the OpenAPI schema cannot express: name and label syntax, port names, quantities,
// requests <= limits, one probe handler, mounts of declared volumes, selectors that match the
// pod template, HPA and PDB bounds, Job specs (pkg/apis/batch/validation), RBAC rules and RoleBinding subjects
// (pkg/apis/rbac/validation). Returns errors as {object, path, message}.
import { describe } from './k8s_schema.mjs';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const SUFFIX = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
                 Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

// The value of a quantity string as a number, or NaN when it is not one.
export function parseQuantity(q) {
  const s = String(q);
  if (!QUANTITY.test(s)) return NaN;
  const m = /^([+-]?[0-9.]+)(.*)$/.exec(s);
  const [, num, suffix] = m;
  if (suffix in SUFFIX) return Number(num) * SUFFIX[suffix];
  if (/^[eE][-+]?[0-9]+$/.test(suffix)) return Number(num + suffix);
  return NaN;
}

class Checker {
  constructor(object) {
    this.object = describe(object);
    this.errors = [];
  }
  fail(path, message) {
    this.errors.push({ object: this.object, path, message });
  }
  check(ok, path, message) {
    if (!ok) this.fail(path, message);
  }
  name(value, path, re, what, max) {
    this.check(typeof value === 'string' && value.length <= max && re.test(value), path,
               `${JSON.stringify(value)} is not a ${what} (at most ${max} characters)`);
  }
  labels(map, path) {
    for (const [k, v] of Object.entries(map ?? {})) {
      const [prefix, name] = k.includes('/') ? k.split('/', 2) : [null, k];
      this.check(QUALIFIED_NAME.test(name) && name.length <= 63 &&
                 (prefix === null || (DNS1123_SUBDOMAIN.test(prefix) && prefix.length <= 253)),
                 `${path}.${k}`, 'is not a qualified name');
      if (path.endsWith('labels')) {
        this.check(v === '' || (String(v).length <= 63 && QUALIFIED_NAME.test(String(v))),
                   `${path}.${k}`, `label value ${JSON.stringify(v)} is invalid`);
      }
    }
  }
  port(value, path) {
    if (typeof value === 'string') {
      this.check(value.length <= 15 && IANA_SVC_NAME.test(value) && /[a-z]/.test(value), path,
                 `${JSON.stringify(value)} is not an IANA service name`);
    } else {
      this.check(Number.isInteger(value) && value >= 1 && value <= 65535, path, `${value} is not a port number`);
    }
  }
  probe(probe, path, kind, portNames) {
    if (!probe) return;
    const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => probe[h]);
    this.check(handlers.length === 1, path, `must have exactly one handler, has ${handlers.length}`);
    if (kind !== 'readinessProbe' && probe.successThreshold !== undefined) {
      this.check(probe.successThreshold === 1, `${path}.successThreshold`, 'must be 1');
    }
    for (const f of ['periodSeconds', 'timeoutSeconds', 'successThreshold', 'failureThreshold']) {
      if (probe[f] !== undefined) this.check(probe[f] >= 1, `${path}.${f}`, 'must be at least 1');
    }
    for (const h of ['httpGet', 'tcpSocket', 'grpc']) {
      if (!probe[h]) continue;
      this.port(probe[h].port, `${path}.${h}.port`);
      if (typeof probe[h].port === 'string') {
        this.check(portNames.has(probe[h].port), `${path}.${h}.port`, `no container port named ${probe[h].port}`);
      }
    }
  }
  resources(res, path) {
    for (const kind of ['requests', 'limits']) {
      for (const [k, v] of Object.entries(res?.[kind] ?? {})) {
        this.check(!Number.isNaN(parseQuantity(v)), `${path}.${kind}.${k}`, `${JSON.stringify(v)} is not a quantity`);
      }
    }
    for (const [k, v] of Object.entries(res?.requests ?? {})) {
      const limit = res?.limits?.[k];
      if (limit !== undefined) {
        this.check(parseQuantity(v) <= parseQuantity(limit), `${path}.requests.${k}`,
                   `request ${v} is above the limit ${limit}`);
      }
    }
  }
  podSpec(spec, path) {
    const volumes = new Set();
    (spec.volumes ?? []).forEach((v, i) => {
      this.name(v.name, `${path}.volumes[${i}].name`, DNS1123_LABEL, 'DNS-1123 label', 63);
      this.check(!volumes.has(v.name), `${path}.volumes[${i}].name`, `duplicate volume ${v.name}`);
      volumes.add(v.name);
    });
    this.check((spec.containers ?? []).length > 0, `${path}.containers`, 'at least one container is required');
    const containerNames = new Set();
    (spec.containers ?? []).forEach((c, i) => {
      const at = `${path}.containers[${i}]`;
      this.name(c.name, `${at}.name`, DNS1123_LABEL, 'DNS-1123 label', 63);
      this.check(!containerNames.has(c.name), `${at}.name`, `duplicate container ${c.name}`);
      containerNames.add(c.name);
      const portNames = new Set();
      (c.ports ?? []).forEach((p, j) => {
        this.port(p.containerPort, `${at}.ports[${j}].containerPort`);
        if (p.name !== undefined) {
          this.port(p.name, `${at}.ports[${j}].name`);
          this.check(!portNames.has(p.name), `${at}.ports[${j}].name`, `duplicate port name ${p.name}`);
          portNames.add(p.name);
        }
      });
      const envNames = new Set();
      (c.env ?? []).forEach((e, j) => {
        this.check(ENV_NAME.test(e.name), `${at}.env[${j}].name`, `${JSON.stringify(e.name)} is not a valid variable name`);
        this.check(!envNames.has(e.name), `${at}.env[${j}].name`, `${e.name} is set twice`);
        envNames.add(e.name);
        this.check((e.value !== undefined) !== (e.valueFrom !== undefined), `${at}.env[${j}]`,
                   'needs exactly one of value and valueFrom');
      });
      const mountPaths = new Set();
      (c.volumeMounts ?? []).forEach((m, j) => {
        this.check(volumes.has(m.name), `${at}.volumeMounts[${j}].name`, `no volume named ${m.name}`);
        this.check(!mountPaths.has(m.mountPath), `${at}.volumeMounts[${j}].mountPath`, `${m.mountPath} is mounted twice`);
        mountPaths.add(m.mountPath);
      });
      for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        this.probe(c[kind], `${at}.${kind}`, kind, portNames);
      }
      this.resources(c.resources, `${at}.resources`);
    });
    if (spec.restartPolicy !== undefined) {
      this.check(['Always', 'OnFailure', 'Never'].includes(spec.restartPolicy), `${path}.restartPolicy`, 'unknown policy');
    }
  }
  intOrPercent(v, path) {
    this.check((Number.isInteger(v) && v >= 0) || /^[0-9]+%$/.test(String(v)), path, `${JSON.stringify(v)} is not a count or percentage`);
  }
}

const rules = {
  Deployment(o, c) {
    const s = o.spec ?? {};
    if (s.replicas !== undefined) c.check(s.replicas >= 0, 'spec.replicas', 'must be non-negative');
    if (s.minReadySeconds !== undefined) {
      c.check(Number.isInteger(s.minReadySeconds) && s.minReadySeconds >= 0, 'spec.minReadySeconds', 'must be a non-negative integer');
    }
    const selector = s.selector?.matchLabels ?? {};
    c.check(Object.keys(selector).length > 0, 'spec.selector', 'must not be empty');
    c.labels(selector, 'spec.selector.matchLabels');
    const labels = s.template?.metadata?.labels ?? {};
    for (const [k, v] of Object.entries(selector)) {
      c.check(labels[k] === v, 'spec.selector', `does not match the template's labels (${k})`);
    }
    c.labels(labels, 'spec.template.metadata.labels');
    c.labels(s.template?.metadata?.annotations, 'spec.template.metadata.annotations');
    const strategy = s.strategy;
    if (strategy) {
      c.check(['RollingUpdate', 'Recreate'].includes(strategy.type), 'spec.strategy.type', 'unknown type');
      const ru = strategy.rollingUpdate;
      if (ru) {
        if (ru.maxSurge !== undefined) c.intOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge');
        if (ru.maxUnavailable !== undefined) c.intOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable');
        const zero = (v) => v === undefined ? false : String(v).replace('%', '') === '0';
        c.check(!(zero(ru.maxSurge) && zero(ru.maxUnavailable)), 'spec.strategy.rollingUpdate',
                'maxSurge and maxUnavailable may not both be 0');
      }
    }
    c.podSpec(s.template?.spec ?? {}, 'spec.template.spec');
  },
  Pod(o, c) {
    c.podSpec(o.spec ?? {}, 'spec');
  },
  // ValidateJobSpec: counts, Indexed completions, the pod template's restart policy and the
  // podFailurePolicy's rules (restartPolicy Never, exit codes of a declared container).
  Job(o, c) {
    const s = o.spec ?? {};
    for (const f of ['parallelism', 'completions', 'backoffLimit', 'ttlSecondsAfterFinished']) {
      if (s[f] !== undefined) c.check(Number.isInteger(s[f]) && s[f] >= 0, `spec.${f}`, 'must be a non-negative integer');
    }
    if (s.activeDeadlineSeconds !== undefined) c.check(s.activeDeadlineSeconds > 0, 'spec.activeDeadlineSeconds', 'must be positive');
    if (s.completionMode !== undefined) {
      c.check(['NonIndexed', 'Indexed'].includes(s.completionMode), 'spec.completionMode', 'unknown mode');
    }
    if (s.completionMode === 'Indexed') {
      c.check(Number.isInteger(s.completions), 'spec.completions', 'required with completionMode Indexed');
      c.check(s.completions <= 100000, 'spec.completions', 'at most 100000 with completionMode Indexed');
    }
    c.check(s.selector === undefined || s.manualSelector === true, 'spec.selector', 'set only with manualSelector');
    const spec = s.template?.spec ?? {};
    c.check(['OnFailure', 'Never'].includes(spec.restartPolicy), 'spec.template.spec.restartPolicy',
            `must be OnFailure or Never, is ${JSON.stringify(spec.restartPolicy)}`);
    c.labels(s.template?.metadata?.labels, 'spec.template.metadata.labels');
    c.labels(s.template?.metadata?.annotations, 'spec.template.metadata.annotations');
    const containers = new Set((spec.containers ?? []).map((k) => k.name));
    (s.podFailurePolicy?.rules ?? []).forEach((r, i) => {
      const at = `spec.podFailurePolicy.rules[${i}]`;
      c.check(spec.restartPolicy === 'Never', at, 'a podFailurePolicy needs restartPolicy Never');
      c.check(['FailJob', 'Ignore', 'Count', 'FailIndex'].includes(r.action), `${at}.action`, 'unknown action');
      c.check((r.onExitCodes === undefined) !== (r.onPodConditions === undefined), at,
              'needs exactly one of onExitCodes and onPodConditions');
      const codes = r.onExitCodes;
      if (codes) {
        c.check(['In', 'NotIn'].includes(codes.operator), `${at}.onExitCodes.operator`, 'must be In or NotIn');
        c.check(codes.containerName === undefined || containers.has(codes.containerName),
                `${at}.onExitCodes.containerName`, `no container named ${codes.containerName}`);
        const values = codes.values ?? [];
        c.check(values.length > 0 && values.length <= 255, `${at}.onExitCodes.values`, 'needs 1 to 255 values');
        c.check(values.every((v, j) => Number.isInteger(v) && (j === 0 || v > values[j - 1])),
                `${at}.onExitCodes.values`, 'must be ordered integers without repeats');
        if (codes.operator === 'In') c.check(!values.includes(0), `${at}.onExitCodes.values`, '0 is not allowed with In');
      }
    });
    if (s.podFailurePolicy?.rules?.some((r) => r.action === 'FailIndex')) {
      c.check(s.backoffLimitPerIndex !== undefined, 'spec.podFailurePolicy', 'FailIndex needs backoffLimitPerIndex');
    }
    c.podSpec(spec, 'spec.template.spec');
  },
  Service(o, c) {
    c.name(o.metadata?.name, 'metadata.name', DNS1035_LABEL, 'DNS-1035 label', 63);
    const s = o.spec ?? {};
    c.check(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName', undefined].includes(s.type), 'spec.type', 'unknown type');
    c.check((s.ports ?? []).length > 0, 'spec.ports', 'at least one port is required');
    const names = new Set();
    (s.ports ?? []).forEach((p, i) => {
      c.port(p.port, `spec.ports[${i}].port`);
      if (p.targetPort !== undefined) c.port(p.targetPort, `spec.ports[${i}].targetPort`);
      if (s.ports.length > 1) c.check(typeof p.name === 'string', `spec.ports[${i}].name`, 'required with several ports');
      if (p.name !== undefined) {
        c.name(p.name, `spec.ports[${i}].name`, DNS1123_LABEL, 'DNS-1123 label', 63);
        c.check(!names.has(p.name), `spec.ports[${i}].name`, `duplicate port name ${p.name}`);
        names.add(p.name);
      }
    });
    c.labels(s.selector, 'spec.selector.labels');
  },
  HorizontalPodAutoscaler(o, c) {
    const s = o.spec ?? {};
    c.check(s.minReplicas === undefined || s.minReplicas >= 1, 'spec.minReplicas', 'must be at least 1');
    c.check(s.maxReplicas >= 1 && s.maxReplicas >= (s.minReplicas ?? 1), 'spec.maxReplicas', 'must be at least 1 and minReplicas');
    (s.metrics ?? []).forEach((m, i) => {
      const u = m.resource?.target?.averageUtilization;
      if (u !== undefined) c.check(u > 0, `spec.metrics[${i}].resource.target.averageUtilization`, 'must be positive');
    });
    for (const dir of ['scaleUp', 'scaleDown']) {
      const rules = s.behavior?.[dir];
      if (!rules) continue;
      const w = rules.stabilizationWindowSeconds;
      if (w !== undefined) c.check(w >= 0 && w <= 3600, `spec.behavior.${dir}.stabilizationWindowSeconds`, 'must be in [0, 3600]');
      (rules.policies ?? []).forEach((p, i) => {
        c.check(p.value > 0, `spec.behavior.${dir}.policies[${i}].value`, 'must be positive');
        c.check(p.periodSeconds > 0 && p.periodSeconds <= 1800, `spec.behavior.${dir}.policies[${i}].periodSeconds`, 'must be in [1, 1800]');
      });
    }
  },
  PodDisruptionBudget(o, c) {
    const s = o.spec ?? {};
    c.check((s.minAvailable === undefined) !== (s.maxUnavailable === undefined), 'spec',
            'needs exactly one of minAvailable and maxUnavailable');
    if (s.minAvailable !== undefined) c.intOrPercent(s.minAvailable, 'spec.minAvailable');
    c.labels(s.selector?.matchLabels, 'spec.selector.matchLabels');
  },
  PersistentVolumeClaim(o, c) {
    const modes = o.spec?.accessModes ?? [];
    c.check(modes.length > 0, 'spec.accessModes', 'at least one access mode is required');
    for (const m of modes) {
      c.check(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'].includes(m), 'spec.accessModes', `unknown mode ${m}`);
    }
    c.check(parseQuantity(o.spec?.resources?.requests?.storage) > 0, 'spec.resources.requests.storage', 'must be a positive quantity');
  },
  ConfigMap(o, c) {
    for (const k of Object.keys(o.data ?? {})) c.check(CONFIG_KEY.test(k), `data.${k}`, 'is not a valid key');
  },
  // ValidatePolicyRule with isNamespaced: verbs, and resource rules only (no nonResourceURLs).
  Role(o, c) {
    (o.rules ?? []).forEach((r, i) => {
      const at = `rules[${i}]`;
      c.check((r.verbs ?? []).length > 0, `${at}.verbs`, 'at least one verb is required');
      c.check((r.nonResourceURLs ?? []).length === 0, `${at}.nonResourceURLs`,
              'namespaced rules cannot apply to non-resource URLs');
      c.check((r.apiGroups ?? []).length > 0, `${at}.apiGroups`, 'resource rules must supply at least one api group');
      c.check((r.resources ?? []).length > 0, `${at}.resources`, 'resource rules must supply at least one resource');
    });
  },
  // ValidateRoleBinding: the roleRef, and each subject as ValidateRoleBindingSubject (namespaced).
  RoleBinding(o, c) {
    const ref = o.roleRef ?? {};
    c.check(ref.apiGroup === 'rbac.authorization.k8s.io', 'roleRef.apiGroup', 'must be rbac.authorization.k8s.io');
    c.check(['Role', 'ClusterRole'].includes(ref.kind), 'roleRef.kind', 'must be Role or ClusterRole');
    c.check(typeof ref.name === 'string' && ref.name.length > 0 && !/[/%]/.test(ref.name) && !['.', '..'].includes(ref.name),
            'roleRef.name', `${JSON.stringify(ref.name)} is not a valid name`);
    (o.subjects ?? []).forEach((s, i) => {
      const at = `subjects[${i}]`;
      c.check(typeof s.name === 'string' && s.name.length > 0, `${at}.name`, 'required');
      if (s.kind === 'ServiceAccount') {
        c.name(s.name, `${at}.name`, DNS1123_SUBDOMAIN, 'DNS-1123 subdomain', 253);
        c.check(!s.apiGroup, `${at}.apiGroup`, 'must be "" for a ServiceAccount');
      } else if (s.kind === 'User' || s.kind === 'Group') {
        c.check(s.apiGroup === 'rbac.authorization.k8s.io', `${at}.apiGroup`, 'must be rbac.authorization.k8s.io');
      } else {
        c.fail(`${at}.kind`, `${JSON.stringify(s.kind)} is not ServiceAccount, User or Group`);
      }
    });
  },
  Secret(o, c) {
    for (const [k, v] of Object.entries(o.data ?? {})) {
      c.check(CONFIG_KEY.test(k), `data.${k}`, 'is not a valid key');
      c.check(/^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0, `data.${k}`, 'is not base64');
    }
  },
};

// Checks every object; returns [{object, path, message}].
export function apiServerErrors(objects) {
  const errors = [];
  for (const o of objects) {
    const c = new Checker(o);
    c.name(o.metadata?.name, 'metadata.name', DNS1123_SUBDOMAIN, 'DNS-1123 subdomain', 253);
    c.labels(o.metadata?.labels, 'metadata.labels');
    c.labels(o.metadata?.annotations, 'metadata.annotations');
    rules[o.kind]?.(o, c);
    errors.push(...c.errors);
  }
  return errors;
}
