// The generated admin token survives upgrades: secret.yaml looks the Secret up and keeps its
// token. Helm's `lookup` needs a Kubernetes API, which cannot run here, so this test serves a
// FAKE one on 127.0.0.1: just the discovery document for core/v1 Secrets and GET of one Secret
// (the two requests `helm template --dry-run=server` makes for the lookup).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chartDir, parseManifests, release, runHelmAsync } from './helm.mjs';

const namespace = 'shop';
const secretName = `${release}-shop-reference-admin-token`;

class FakeKubernetesApi {
  constructor() {
    this.secrets = new Map();  // name -> data
    this.requests = [];
    this.server = http.createServer((req, res) => this.handle(req, res));
  }
  async start() {
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-fake-api-'));
    this.kubeconfig = path.join(this.dir, 'kubeconfig');
    fs.writeFileSync(this.kubeconfig, [
      'apiVersion: v1', 'kind: Config',
      `clusters: [{name: fake, cluster: {server: "http://127.0.0.1:${this.server.address().port}"}}]`,
      'users: [{name: fake, user: {}}]',
      `contexts: [{name: fake, context: {cluster: fake, user: fake, namespace: ${namespace}}}]`,
      'current-context: fake', ''].join('\n'));
  }
  async stop() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
  handle(req, res) {
    const url = req.url.split('?')[0];
    this.requests.push(`${req.method} ${url}`);
    const reply = (code, body) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url === '/api/v1') {
      return reply(200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'v1',
                          resources: [{ name: 'secrets', singularName: 'secret', namespaced: true, kind: 'Secret', verbs: ['get'] }] });
    }
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/.exec(url);
    if (req.method === 'GET' && m && m[1] === namespace && this.secrets.has(m[2])) {
      return reply(200, { kind: 'Secret', apiVersion: 'v1', type: 'Opaque',
                          metadata: { name: m[2], namespace }, data: this.secrets.get(m[2]) });
    }
    return reply(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
  }
}

describe('admin token Secret', () => {
  const api = new FakeKubernetesApi();
  before(() => api.start());
  after(() => api.stop());

  async function renderedToken() {
    const r = await runHelmAsync(['template', release, chartDir, '--namespace', namespace, '--dry-run=server',
                                  '--show-only', 'templates/secret.yaml'], { env: { KUBECONFIG: api.kubeconfig } });
    assert.equal(r.status, 0, r.stderr);
    const [secret] = parseManifests(r.stdout);
    assert.equal(secret.metadata.name, secretName);
    return Buffer.from(secret.data['admin-token'], 'base64').toString();
  }

  it('generates a fresh token on first install', async () => {
    const first = await renderedToken();
    const second = await renderedToken();
    assert.match(first, /^[A-Za-z0-9]{32}$/);
    assert.notEqual(first, second, 'without a Secret in the cluster every install draws a new token');
    assert.ok(api.requests.includes(`GET /api/v1/namespaces/${namespace}/secrets/${secretName}`), api.requests.join('\n'));
  });

  it('keeps the token of the Secret already in the cluster on upgrade', async () => {
    api.secrets.set(secretName, { 'admin-token': Buffer.from('token-from-the-first-install').toString('base64') });
    assert.equal(await renderedToken(), 'token-from-the-first-install');
    assert.equal(await renderedToken(), 'token-from-the-first-install');
  });
});
