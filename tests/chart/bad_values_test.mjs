// Invalid values make `helm template` fail with the key path and the reason: type and range
// errors from values.schema.json, cross-key errors from templates/_validate.tpl.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { templateFailure } from './helm.mjs';

const cart = (over) => ({ services: { cart: over } });

// name -> [values (an object, merged over the defaults), the message it must fail with]
const cases = {
  // values.schema.json
  'a wrong type': [cart({ replicas: 'two' }), /services\.cart\.replicas: Invalid type\. Expected: integer, given: string/],
  'negative replicas': [cart({ replicas: -1 }), /services\.cart\.replicas: Must be greater than or equal to 0/],
  'negative minReadySeconds': [cart({ minReadySeconds: -2 }), /services\.cart\.minReadySeconds: Must be greater than or equal to 0/],
  'an unknown probe kind': [cart({ livenessProbe: { grpc: null, http: { port: 7070 } } }),
                            /services\.cart\.livenessProbe: Additional property http is not allowed/],
  'two probe handlers': [cart({ readinessProbe: { tcpSocket: { port: 'grpc' } } }),
                         /services\.cart\.readinessProbe: Must validate one and only one schema \(oneOf\)/],
  'a probe without a handler': [cart({ livenessProbe: { grpc: null } }),
                                /services\.cart\.livenessProbe: Must validate one and only one schema \(oneOf\)/],
  'a grpc probe on a named port': [cart({ livenessProbe: { grpc: { port: 'grpc' } } }),
                                   /services\.cart\.livenessProbe\.grpc\.port: Invalid type\. Expected: integer, given: string/],
  'a liveness successThreshold above 1': [cart({ livenessProbe: { successThreshold: 2 } }),
                                          /services\.cart\.livenessProbe\.successThreshold: .*does not match: 1/],
  'a misspelt service key': [cart({ replica: 3 }), /services\.cart: Additional property replica is not allowed/],
  'a misspelt top-level key': [{ servces: {} }, /\(root\): Additional property servces is not allowed/],
  'a bad quantity': [cart({ resources: { requests: { memory: '64 MB' } } }),
                     /services\.cart\.resources\.requests\.memory: Does not match pattern/],
  'a port out of range': [cart({ service: { port: 70000 } }), /services\.cart\.service\.port: Must be less than or equal to 65535/],
  'an unknown Service type': [cart({ service: { type: 'Ingress' } }), /services\.cart\.service\.type: services\.cart\.service\.type must be one of/],
  'a bad HPA policy': [cart({ autoscaling: { behavior: { scaleUp: { policies: [{ type: 'Nodes', value: 1, periodSeconds: 15 }] } } } }),
                       /services\.cart\.autoscaling\.behavior\.scaleUp\.policies\.0\.type: .*must be one of/],
  'an unquoted image tag': [{ test: { image: { tag: 1.36 } } }, /test\.image\.tag: Invalid type\. Expected: string, given: number/],
  'a bad service name': [{ services: { Cart_2: { enabled: true, ports: [{ name: 'grpc', containerPort: 1 }], service: { port: 1, targetPort: 'grpc' } } } },
                         /services: .*Does not match pattern/],
  'a string for adminToken.listenOnPodIP': [{ adminToken: { listenOnPodIP: 'always' } },
                                            /adminToken\.listenOnPodIP: Invalid type\. Expected: boolean, given: string/],
  'a string for chaosRunner.rbac.create': [{ chaosRunner: { rbac: { create: 'true' } } },
                                           /chaosRunner\.rbac\.create: Invalid type\. Expected: boolean, given: string/],
  'a misspelt chaosRunner key': [{ chaosRunner: { rbac: { enabled: true } } },
                                 /chaosRunner\.rbac: Additional property enabled is not allowed/],
  'a number for the chaos runner account name': [{ chaosRunner: { serviceAccount: { name: 7 } } },
                                                 /chaosRunner\.serviceAccount\.name: Invalid type\. Expected: string, given: integer/],
  'a chaos runner account name that is not a DNS name': [{ chaosRunner: { serviceAccount: { name: 'Chaos_Runner' } } },
                                                         /chaosRunner\.serviceAccount\.name: Does not match pattern/],
  'a non-string annotation': [{ chaosRunner: { serviceAccount: { annotations: { 'example.com/team': 3 } } } },
                              /chaosRunner\.serviceAccount\.annotations\.example\.com\/team: Invalid type\. Expected: string, given: integer/],
  'extraSubjects that are not a list': [{ chaosRunner: { rbac: { extraSubjects: 'ci-bot' } } },
                                        /chaosRunner\.rbac\.extraSubjects: Invalid type\. Expected: array, given: string/],
  'an unknown subject kind': [{ chaosRunner: { rbac: { extraSubjects: [{ kind: 'Robot', name: 'r2' }] } } },
                              /chaosRunner\.rbac\.extraSubjects\.0\.kind: .*must be one of/],
  'a subject without a name': [{ chaosRunner: { rbac: { extraSubjects: [{ kind: 'User' }] } } },
                               /chaosRunner\.rbac\.extraSubjects\.0: name is required/],
  // templates/_validate.tpl
  'a ServiceAccount subject with an apiGroup': [{ chaosRunner: { rbac: { create: true, extraSubjects: [{ kind: 'ServiceAccount', name: 'ci', apiGroup: 'v1' }] } } },
                                                /chaosRunner\.rbac\.extraSubjects\[0\]\.apiGroup: a ServiceAccount subject has no apiGroup \(got "v1"\)/],
  'a User subject with another apiGroup': [{ chaosRunner: { rbac: { create: true, extraSubjects: [{ kind: 'User', name: 'ci', apiGroup: 'v1' }] } } },
                                           /chaosRunner\.rbac\.extraSubjects\[0\]\.apiGroup: a User subject's apiGroup is rbac\.authorization\.k8s\.io \(got "v1"\)/],
  'a Group subject with a namespace': [{ chaosRunner: { rbac: { create: true, extraSubjects: [{ kind: 'Group', name: 'sre', namespace: 'shop' }] } } },
                                       /chaosRunner\.rbac\.extraSubjects\[0\]\.namespace: only ServiceAccount subjects have a namespace \(this is a Group\)/],
  'minReplicas above maxReplicas': [cart({ autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 2 } }),
                                    /services\.cart\.autoscaling: minReplicas 5 > maxReplicas 2/],
  'an HPA without a CPU request': [cart({ autoscaling: { enabled: true }, resources: { requests: { cpu: null } } }),
                                   /services\.cart\.autoscaling: enabled but services\.cart\.resources\.requests\.cpu is not set/],
  'an unknown dependency': [{ services: { frontend: { dependencies: ['cart', 'basket'] } } },
                            /services\.frontend\.dependencies\[1\]: unknown service "basket" \(services are ad, cart, /],
  'a dependency on itself': [cart({ dependencies: ['cart'] }), /services\.cart\.dependencies\[0\]: cart cannot depend on itself/],
  'a dependency without an address': [cart({ dependencies: ['frontend'] }),
                                      /services\.cart\.dependencies\[0\]: services\.frontend has no addressEnv/],
  'a probe on a port name that does not exist': [{ services: { frontend: { readinessProbe: { httpGet: { port: 'web' } } } } },
                                                 /services\.frontend\.readinessProbe\.httpGet\.port: no port named "web" in services\.frontend\.ports/],
  'a probe on a port number the service does not have': [cart({ livenessProbe: { grpc: { port: 7071 } } }),
                                                         /services\.cart\.livenessProbe\.grpc\.port: 7071 is not a containerPort in services\.cart\.ports/],
  'a Service targeting a missing port': [cart({ service: { targetPort: 'http' } }),
                                         /services\.cart\.service\.targetPort: no port named "http" in services\.cart\.ports/],
  'two ports with one name': [cart({ ports: [{ name: 'grpc', containerPort: 7070, env: 'PORT' }, { name: 'grpc', containerPort: 7071 }] }),
                              /services\.cart\.ports\[1\]\.name: "grpc" is used by another port/],
  'a rolling update that cannot progress': [cart({ strategy: { maxSurge: 0, maxUnavailable: '0%' } }),
                                            /services\.cart\.strategy: maxSurge and maxUnavailable cannot both be 0/],
  'env that the chart sets': [cart({ env: { PORT: '1' } }), /services\.cart\.env\.PORT: set by the chart from its ports; change that instead/],
  'env that listenOnPodIP sets': [{ adminToken: { listenOnPodIP: true }, services: { cart: { env: { ADMIN_LISTEN_ADDR: '::' } } } },
                                 /services\.cart\.env\.ADMIN_LISTEN_ADDR: set by the chart from adminToken\.listenOnPodIP; change that instead/],
  'two services with one addressEnv': [{ services: { ad: { addressEnv: 'CART_SERVICE_ADDR' } } },
                                       /services\.(ad|cart)\.addressEnv: CART_SERVICE_ADDR is already services\.(ad|cart)\.addressEnv/],
};

describe('invalid values fail helm template with the key path and the reason', () => {
  for (const [name, [values, pattern]] of Object.entries(cases)) {
    it(`rejects ${name}`, () => {
      const stderr = templateFailure({ values: [values] });
      assert.match(stderr, pattern);
    });
  }

  it('rejects a wrong type given with --set', () => {
    assert.match(templateFailure({ sets: ['services.frontend.autoscaling.enabled=maybe'] }),
                 /services\.frontend\.autoscaling\.enabled: Invalid type\. Expected: boolean, given: string/);
    assert.match(templateFailure({ sets: ['chaosRunner.rbac.create=maybe'] }),
                 /chaosRunner\.rbac\.create: Invalid type\. Expected: boolean, given: string/);
    assert.match(templateFailure({ sets: ['adminToken.listenOnPodIP=on'] }),
                 /adminToken\.listenOnPodIP: Invalid type\. Expected: boolean, given: string/);
  });
});
