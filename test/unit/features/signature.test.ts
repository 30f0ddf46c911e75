import { describe, expect, it } from 'vitest';
import type { SignatureHelp } from 'vscode-languageserver-types';
import { analyzeText } from '../../../server/src/analysis/document';
import { signatureHelp } from '../../../server/src/features/signature';

/** Removes the `<|>` marker; returns the analysed file and the marker's position. */
function atCursor(text: string) {
  const offset = text.indexOf('<|>');
  if (offset < 0) throw new Error('no <|> marker');
  const file = analyzeText('test.conf', text.replace('<|>', ''));
  return { file, position: file.lines.positionAt(offset) };
}

function help(text: string): SignatureHelp | null {
  const { file, position } = atCursor(text);
  return signatureHelp(file, position);
}

/** The label text of the active parameter, or null when none is active. */
function activeText(h: SignatureHelp | null): string | null {
  if (!h || h.activeParameter === null || h.activeParameter === undefined) return null;
  const sig = h.signatures[h.activeSignature ?? 0]!;
  const p = sig.parameters?.[h.activeParameter];
  if (!p) return null;
  return typeof p.label === 'string' ? p.label : sig.label.slice(p.label[0], p.label[1]);
}

/** The active parameter at every `|`-marked cursor stop of a line (the stops are removed). */
function stops(wrap: (line: string) => string, line: string): (string | null)[] {
  const parts = line.split('|');
  const out: (string | null)[] = [];
  for (let k = 1; k < parts.length; k++) {
    const marked = parts.slice(0, k).join('') + '<|>' + parts.slice(k).join('');
    out.push(activeText(help(wrap(marked))));
  }
  return out;
}

const inVs = (line: string) => `virtual_server 10.0.0.1 80 {\n  ${line}\n}\n`;
const inVip = (line: string) => `vrrp_instance X {\n  virtual_ipaddress {\n    ${line}\n  }\n}\n`;

describe('signatureHelp', () => {
  it('builds the lvs_method signature from its syntax, with documented parameters', () => {
    const h = help(inVs('lvs_method <|>'))!;
    expect(h.signatures).toHaveLength(1);
    const sig = h.signatures[0]!;
    expect(sig.label).toBe('lvs_method NAT|DR|TUN [type ipip|gue|gre] [port <n>] [nocsum|csum|remcsum]');
    expect(sig.parameters!.map((p) => sig.label.slice(...(p.label as [number, number])))).toEqual([
      'NAT|DR|TUN',
      'type ipip|gue|gre',
      'port <n>',
      'nocsum|csum|remcsum',
    ]);
    expect(sig.parameters![0]!.documentation).toContain('Forwarding method');
    expect(sig.documentation).toMatchObject({ kind: 'markdown' });
    expect(h.activeParameter).toBe(0);
  });

  it('moves the active parameter through lvs_method TUN type ipip', () => {
    expect(stops(inVs, 'lvs_method |TU|N |type| |ipip| |csum|')).toEqual([
      'NAT|DR|TUN',
      'NAT|DR|TUN',
      'type ipip|gue|gre',
      'type ipip|gue|gre',
      'type ipip|gue|gre',
      'type ipip|gue|gre',
      'nocsum|csum|remcsum',
      'nocsum|csum|remcsum',
    ]);
    expect(stops(inVs, 'lvs_method TUN type gue |port 6080 |')).toEqual(['port <n>', 'nocsum|csum|remcsum']);
    expect(stops(inVs, 'lvs_method TUN type gue port 6080 csum |')).toEqual([null]);
  });

  it('uses the value-line grammar inside virtual_ipaddress', () => {
    const h = help(inVip('<|>'))!;
    expect(h.signatures[0]!.label.startsWith('<IP>[/<PREFIX>] [brd <IP>] [dev <IF>] [scope <SCOPE>]')).toBe(
      true,
    );
    expect(stops(inVip, '10.0|.0.1/24 |dev| e|th0 |scope link| |')).toEqual([
      '<IP>[/<PREFIX>]',
      'dev <IF>',
      'dev <IF>',
      'dev <IF>',
      'scope <SCOPE>',
      'scope <SCOPE>',
      'label <LABEL>',
    ]);
    expect(stops(inVip, '10.0.0.1 |no_track |')).toEqual(['no_track', 'use_vmac']);
  });

  it('follows track entries: NAME [weight N [reverse]]', () => {
    const inTrack = (line: string) => `vrrp_instance X {\n  track_script {\n    ${line}\n  }\n}\n`;
    const h = help(inTrack('chk<|>'))!;
    expect(h.signatures[0]!.label).toBe('<SCRIPT_NAME> [weight <-253..253> [reverse|noreverse]]');
    expect(stops(inTrack, 'chk| |weight| 2|0 |')).toEqual([
      '<SCRIPT_NAME>',
      'weight <-253..253>',
      'weight <-253..253>',
      'weight <-253..253>',
      'reverse|noreverse',
    ]);
  });

  it('follows notify scripts: "command" [user [group]]', () => {
    const inInst = (line: string) => `vrrp_instance X {\n  ${line}\n}\n`;
    expect(stops(inInst, 'notify_master "/bin/x| MASTER" |nobody |nogroup|')).toEqual([
      '<SCRIPT>|"<SCRIPT> <ARGS>"',
      '<USER>',
      '[:]<GROUP>',
      '[:]<GROUP>',
    ]);
  });

  it('follows unicast_peer lines and server addresses', () => {
    const inPeer = (line: string) => `vrrp_instance X {\n  unicast_peer {\n    ${line}\n  }\n}\n`;
    expect(stops(inPeer, '10.0.0.2 |min_ttl 1|0 |')).toEqual([
      'min_ttl <0-255>',
      'min_ttl <0-255>',
      'max_ttl <0-255>',
    ]);
    expect(stops(inVs, 'real_server |10.0.0.2 |80 {\n  }')).toEqual(['<ip>', '<port>']);
    expect(stops(inVs, 'sorry_server 10.0.0.9 |')).toEqual(['<port>']);
  });

  it('offers the alternatives of virtual_server and picks the one being typed', () => {
    const h = help('virtual_server fwmark <|>\n')!;
    expect(h.signatures.map((s) => s.label)).toEqual([
      'virtual_server <ip> [<port>]',
      'virtual_server fwmark <n>',
      'virtual_server group <name>',
    ]);
    expect(h.activeSignature).toBe(1);
    expect(activeText(h)).toBe('<n>');
    expect(activeText(help('virtual_server 10.0.0.1 <|>\n'))).toBe('<port>');
    expect(help('virtual_server group <|>\n')!.activeSignature).toBe(2);
  });

  it('returns null for one-argument keywords, fresh lines and unknown keywords', () => {
    expect(help('vrrp_instance X {\n  priority <|>\n}\n')).toBeNull();
    expect(help('vrrp_instance X {\n  <|>\n}\n')).toBeNull();
    expect(help('vrrp_instance X {\n  frobnicate <|>\n}\n')).toBeNull();
    expect(help('vrrp_instance X {\n  virtual_routes {\n    10.1.0.0/16 <|>\n  }\n}\n')).toBeNull();
  });
});
