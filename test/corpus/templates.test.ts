// The 26 real templates of ../shared/corpus/templates (Ansible, kolla-ansible, octavia, VyOS, Puppet, Chef,
// Salt, Go programs), linted with `--template auto`: no error may come from template syntax. The errors
// that remain are listed here, each with the reason it is real; the real findings (root scripts, cleartext
// authentication, typos) must still be reported. README.md quotes the root-script count measured here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../server/src/analysis/document';
import { lintFile, type Diagnostic } from '../../server/src/checks';

const folder = join(__dirname, '../../../shared/corpus/templates');
const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');

/** Errors that remain, by file (a prefix of its name): "line:rule", and why each is real. */
const REAL_ERRORS: Record<string, { errors: string[] | 'not-keepalived'; reason: string }> = {
  UKCloud__: {
    errors: 'not-keepalived',
    reason:
      'a shell script that installs keepalived and writes keepalived.conf with a here-document: only the lines between `<<-EOF` and `EOF` are keepalived',
  },
  'redhat-cop__': {
    errors: 'not-keepalived',
    reason:
      'a Kubernetes manifest (YAML) that embeds keepalived.conf in a ConfigMap: the YAML around the embedded config is not keepalived',
  },
  Unstoppable94__: {
    errors: ['5:missing-argument'],
    reason: 'vrrp_garp_master_refresh is written with no value; keepalived needs the number of seconds',
  },
  'voxpupuli__puppet-keepalived__templates_lvs_virtual_server': {
    errors: ['4:unclosed-block'],
    reason:
      "the template renders only the head of a virtual_server; its closing '}' comes from another template the module concatenates",
  },
  vyos__: {
    errors: ['79:wrong-block'],
    reason:
      'garp_interval is a garp_group keyword: keepalived (2.2.7 and the newest) does not know it inside vrrp_instance',
  },
};

/**
 * voxpupuli's vrrp_instance.erb writes `vrrp_track_file {` inside vrrp_instance, where keepalived knows only
 * `track_file`: it ignores the '{', the block's '}' closes the vrrp_instance, and every line after is read at
 * the top level. All its errors are that one real bug: the first on line 126, the others after it.
 */
const VOXPUPULI_INSTANCE = 'voxpupuli__puppet-keepalived__templates_vrrp_instance';

function lint(name: string): Diagnostic[] {
  return lintFile(analyzeText(name, readFileSync(join(folder, name), 'utf8')), {});
}

const files = existsSync(folder) ? readdirSync(folder).sort() : [];

describe('real templates (../shared/corpus/templates)', () => {
  if (files.length === 0) {
    it('has nothing to read: ../shared/corpus/templates is absent, so no template is checked', () => {
      expect(existsSync(folder)).toBe(false);
    });
    return;
  }

  const results = new Map(files.map((f) => [f, lint(f)]));

  it('has the 26 templates', () => {
    expect(files).toHaveLength(26);
  });

  it.each(files)('%s: no error from template syntax; the ones left are real', (name) => {
    const errors = results
      .get(name)!
      .filter((d) => d.severity === 'error')
      .map((d) => `${d.range.start.line + 1}:${d.rule}`);
    const known = Object.entries(REAL_ERRORS).find(([prefix]) => name.startsWith(prefix))?.[1];
    if (name.startsWith(VOXPUPULI_INSTANCE)) {
      expect(errors[0]).toBe('126:wrong-block');
      const lines = errors.map((e) => Number(e.split(':')[0]));
      expect(lines.every((l) => l >= 126)).toBe(true);
    } else if (known?.errors === 'not-keepalived') {
      expect(errors.length, known.reason).toBeGreaterThan(0);
    } else {
      expect(errors, known?.reason).toEqual(known?.errors ?? []);
    }
  });

  it('still reports the real findings: root scripts, cleartext authentication, typos', () => {
    const withRule = (rule: string) => files.filter((f) => results.get(f)!.some((d) => d.rule === rule));
    expect(withRule('cleartext-auth').length).toBeGreaterThanOrEqual(10);
    expect(withRule('script-runs-as-root').length).toBeGreaterThanOrEqual(15);
    const kolla = results.get(files.find((f) => f.includes('kolla-ansible'))!)!;
    expect(kolla.some((d) => d.rule === 'script-runs-as-root')).toBe(true);
    // A template user is information naming the variable, not a verdict.
    const evrardjp = results.get(files.find((f) => f.startsWith('evrardjp'))!)!;
    expect(evrardjp.find((d) => d.rule === 'script-user-template')?.message).toContain('{{ details.user }}');
  });

  it('README.md says how many of them deploy root-running scripts', () => {
    const root = files.filter((f) => results.get(f)!.some((d) => d.rule === 'script-runs-as-root'));
    expect(readme).toContain(`${root.length} of these 26 real templates deploy a script that runs as root`);
  });
});
