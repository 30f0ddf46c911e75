// File recognition over the protocol (features/recognition.ts): the server tells the client which files a
// configuration includes, so an included `conf.d/chk_nginx.conf` is keepalived whatever its name, and it
// hands back a file opened as keepalived that is clearly nginx, with no diagnostics.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, uri } from './client';

const dir = mkdtempSync(join(tmpdir(), 'kl-recognition-'));
const main = join(dir, 'lb1', 'keepalived.conf');
const check = join(dir, 'lb1', 'conf.d', 'chk_nginx.conf');
const nginx = join(dir, 'keepalived', 'default.conf');
const template = join(dir, 'roles', 'lb', 'templates', 'keepalived.conf.j2');
const fragment = join(dir, 'roles', 'lb', 'templates', 'checks', 'nginx.j2');
const mainText = [
  'vrrp_instance VI_1 {',
  '    state BACKUP',
  '    interface eth0',
  '    virtual_router_id 51',
  '    priority 100',
  '    track_script {',
  '        chk_nginx',
  '    }',
  '}',
  'include conf.d/*.conf',
  '',
].join('\n');
const templateText = mainText.replace('include conf.d/*.conf', '{% include "checks/nginx.j2" %}');
const checkText = ['vrrp_script chk_nginx {', '    script "/usr/bin/pgrep -x nginx"', '}', ''].join('\n');
const nginxText = [
  'server {',
  '    listen 80;',
  '    location / {',
  '        root /srv;',
  '    }',
  '}',
  '',
].join('\n');

interface Included {
  files: { uri: string; includedBy: string }[];
}

let client: TestClient;

beforeAll(async () => {
  mkdirSync(join(dir, 'lb1', 'conf.d'), { recursive: true });
  mkdirSync(join(dir, 'keepalived'));
  mkdirSync(join(dir, 'roles', 'lb', 'templates', 'checks'), { recursive: true });
  // On disk without the include: the server reads every configuration in the folder from its first pass,
  // so the fragment is announced when the open document adds the include line.
  writeFileSync(template, mainText.replace('include conf.d/*.conf', ''));
  writeFileSync(fragment, checkText);
  writeFileSync(main, mainText);
  writeFileSync(check, checkText);
  writeFileSync(nginx, nginxText);
  client = new TestClient();
  await client.initialize(dir);
});

afterAll(async () => {
  await client.close();
});

describe('recognition', () => {
  it('announces the files a configuration includes, with the file that includes them', async () => {
    const included = client.notification<Included>('keepalived/includedFiles', (p) =>
      p.files.some((f) => f.uri === uri(check)),
    );
    await client.open(main, mainText);
    const params = await included;
    expect(params.files).toContainEqual({ uri: uri(check), includedBy: uri(main) });
    expect(params.files.map((f) => f.uri)).not.toContain(uri(main));
  });

  it('an included file opened under its own name gets the root-script warning', async () => {
    await client.open(check, checkText);
    const d = await client.diagnosticsFor(check, (p) => p.diagnostics.length > 0);
    expect(d.diagnostics.map((x) => x.code)).toContain('script-runs-as-root');
  });

  it('an nginx file under keepalived/ gets no diagnostics and is handed back as nginx', async () => {
    const handBack = client.notification<{ uri: string; languageId: string; reason: string }>(
      'keepalived/notKeepalived',
      (p) => p.uri === uri(nginx),
    );
    await client.open(nginx, nginxText);
    const params = await handBack;
    expect(params.languageId).toBe('nginx');
    expect(params.reason).toContain('server {');
    const d = await client.diagnosticsFor(nginx);
    expect(d.diagnostics).toEqual([]);
  });

  it('a fragment a template includes with {% include %} is announced too', async () => {
    const included = client.notification<Included>('keepalived/includedFiles', (p) =>
      p.files.some((f) => f.uri === uri(fragment)),
    );
    await client.open(template, templateText);
    const params = await included;
    expect(params.files).toContainEqual({ uri: uri(fragment), includedBy: uri(template) });
  });
});
