// A `user` line inside a template `{% if %}`: where the condition is false, the script has no user and
// keepalived runs it as script_user, keepalived_script or root, so the finding says it depends on the condition.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';

const conf = (user: string) => `global_defs {
  enable_script_security
}
vrrp_script chk {
  script "/usr/local/bin/chk.sh"
${user}
}
vrrp_instance VI_1 {
  state MASTER
  interface eth0
  virtual_router_id 51
  priority 100
  virtual_ipaddress {
    10.0.0.1
  }
  track_script {
    chk
  }
}
`;

const findings = (user: string) =>
  lintFile(analyzeText('/nowhere/keepalived.conf.j2', conf(user)), {}).filter(
    (d) => d.rule === 'script-user-template',
  );

describe('a user set only inside {% if %}', () => {
  it('says the script runs as root-or-default where the condition is false', () => {
    const [d, ...rest] = findings('{% if u is defined %}\n  user nobody\n{% endif %}');
    expect(rest).toEqual([]);
    expect(d?.severity).toBe('info');
    expect(d?.range.start.line).toBe(6);
    expect(d?.message).toContain("runs as 'nobody' only where the template renders this 'user' line");
  });

  it('says nothing of the kind for a user outside any branch, or in the same branch as the script', () => {
    expect(findings('  user nobody')).toEqual([]);
    const both = conf('  user nobody').replace('vrrp_script chk {', '{% if x %}\nvrrp_script chk {');
    const d = lintFile(
      analyzeText(
        '/nowhere/k.conf.j2',
        both.replace('\n}\nvrrp_instance', '\n}\n{% endif %}\nvrrp_instance'),
      ),
      {},
    );
    expect(d.filter((x) => x.rule === 'script-user-template')).toEqual([]);
  });

  it('reads an if/else with a user on each side as two renderings, and reports the one that runs as root', () => {
    const text = conf('{% if u is defined %}\n  user {{ u }}\n{% else %}\n  user root\n{% endif %}');
    const all = lintFile(analyzeText('/nowhere/keepalived.conf.j2', text), {});
    // Every rendering names a user: no "names no user" info.
    expect(all.filter((d) => d.rule === 'script-user-template')).toEqual([]);
    const root = all.find((d) => d.rule === 'script-runs-as-root');
    expect(root?.message).toContain("the script names user 'root'");
    expect(root?.message).toContain('wherever it renders that user line');
    expect(root?.message).not.toContain('This holds on every node the template deploys to.');
  });

  it('keeps the last line when a later user line is rendered wherever the earlier one is', () => {
    const text = conf('  user root\n{% if u %}\n  user nobody\n{% endif %}\n  user nobody');
    const all = lintFile(analyzeText('/nowhere/keepalived.conf.j2', text), {});
    expect(all.filter((d) => d.rule === 'script-runs-as-root')).toEqual([]);
  });

  it('names the other rendering precisely when one branch says root and another a template expression', () => {
    for (const user of [
      '{% if u is defined %}\n  user {{ u }}\n{% else %}\n  user root\n{% endif %}',
      '  {% if u is defined %}user {{ u }}{% else %}user root{% endif %}',
      '  <% if @u %>user <%= @u %><% else %>user root<% end %>',
    ]) {
      const path = user.includes('<%') ? '/nowhere/keepalived.conf.erb' : '/nowhere/keepalived.conf.j2';
      const all = lintFile(analyzeText(path, conf(user)), {});
      const root = all.filter((d) => d.rule === 'script-runs-as-root');
      expect(root, user).toHaveLength(1);
      expect(root[0]!.message).toContain("the script names user 'root'");
      expect(root[0]!.message).toMatch(
        /where it renders 'user (\{\{ u \}\}|<%= @u %>)' instead, the account depends on that template variable/,
      );
      expect(
        all.filter((d) => d.rule === 'script-user-template'),
        user,
      ).toEqual([]);
    }
  });

  it('a template user in one branch and a named one in the other: info that says both', () => {
    const text = conf('  {% if u is defined %}user {{ u }}{% else %}user nobody{% endif %}');
    const all = lintFile(analyzeText('/nowhere/keepalived.conf.j2', text), {});
    expect(all.filter((d) => d.rule === 'script-runs-as-root')).toEqual([]);
    const [d, ...rest] = all.filter((x) => x.rule === 'script-user-template');
    expect(rest).toEqual([]);
    expect(d?.severity).toBe('info');
    expect(d?.message).toContain("runs as whatever account '{{ u }}' renders to on each node");
    expect(d?.message).toContain("where it renders 'user nobody' instead, it runs as that account");
  });
});
