// Builds the nodes of a cluster from inline configs, and lints them together as the CLI does.
import { analyzeText, type AnalyzeOptions } from '../../../server/src/analysis/document';
import type { ConfigModel } from '../../../server/src/analysis/model';
import { lintFile, type Diagnostic } from '../../../server/src/checks';

export interface NodeSpec {
  state?: string;
  priority?: number;
  vrid?: number;
  iface?: string;
  vips?: string[];
  /** Lines inside the vrrp_instance block (nopreempt, advert_int, track_script { ... }, ...). */
  extra?: string[];
  /** Lines before the instance (vrrp_script blocks, global_defs, ...). */
  before?: string[];
  name?: string;
}

/** A node's keepalived.conf: one vrrp_instance. */
export function nodeConf(spec: NodeSpec): string {
  return [
    ...(spec.before ?? []),
    `vrrp_instance ${spec.name ?? 'VI_1'} {`,
    ...(spec.state ? [`    state ${spec.state}`] : []),
    `    interface ${spec.iface ?? 'eth0'}`,
    `    virtual_router_id ${spec.vrid ?? 51}`,
    ...(spec.priority !== undefined ? [`    priority ${spec.priority}`] : []),
    ...(spec.extra ?? []).map((l) => `    ${l}`),
    '    virtual_ipaddress {',
    ...(spec.vips ?? ['192.0.2.100/24']).map((v) => `        ${v}`),
    '    }',
    '}',
    '',
  ].join('\n');
}

/** The seed's check: `vrrp_script chk_nginx` with the given weight line (none when undefined). */
export function chkNginx(weight?: string): string[] {
  return [
    'vrrp_script chk_nginx {',
    '    script "/usr/bin/pidof nginx"',
    ...(weight !== undefined ? [`    weight ${weight}`] : []),
    '}',
  ];
}

export const tracking = (...lines: string[]): string[] => [
  'track_script {',
  ...lines.map((l) => `    ${l}`),
  '}',
];

/** Models of /nN/keepalived.conf, one per text. */
export function models(texts: string[], options: AnalyzeOptions = {}): ConfigModel[] {
  return texts.map((t, i) => analyzeText(`/n${i + 1}/keepalived.conf`, t, options).model);
}

/** Every diagnostic of the nodes linted together, as "nN:line rule: message". */
export function lintCluster(
  texts: string[],
  options: AnalyzeOptions & { keepalivedVersion?: string } = {},
): string[] {
  const peers = models(texts, options);
  return peers.flatMap((m, i) =>
    [...m.files.values()].flatMap((f) =>
      lintFile(f, { peers, keepalivedVersion: options.keepalivedVersion }).map(
        (d: Diagnostic) => `n${i + 1}:${d.range.start.line + 1} ${d.rule}: ${d.message}`,
      ),
    ),
  );
}

/** Only the findings of `rule`. */
export function findings(rule: string, texts: string[], options: AnalyzeOptions = {}): string[] {
  return lintCluster(texts, options).filter((l) => l.includes(` ${rule}: `));
}
