// Quick fixes of the cluster rules: a node's own address removed from its unicast_peer list (safe for
// --fix), and the peer's advert_int or version offered in the editor only (which node is right is the
// user's call).
import { describe, expect, it } from 'vitest';
import { lintFile, type Diagnostic } from '../../../server/src/checks';
import { models, nodeConf } from './helpers';

function diagnostics(texts: string[], rule: string): { d: Diagnostic; text: string }[] {
  const peers = models(texts);
  return peers.flatMap((m, i) =>
    [...m.files.values()].flatMap((f) =>
      lintFile(f, { peers })
        .filter((d) => d.rule === rule)
        .map((d) => ({ d, text: texts[i]! })),
    ),
  );
}

const apply = (text: string, d: Diagnostic): string => {
  const edits = [...d.fixes![0]!.edits].sort((a, b) => b.start - a.start);
  return edits.reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
};

const unicast = (src: string, peers: string[]) => [
  `unicast_src_ip ${src}`,
  'unicast_peer {',
  ...peers.map((p) => `    ${p}`),
  '}',
];

describe('cluster quick fixes', () => {
  it('removes a node’s own address from its unicast_peer list, and the fix is safe to apply', () => {
    const a = nodeConf({ extra: unicast('192.0.2.1', ['192.0.2.1', '192.0.2.2']) });
    const b = nodeConf({ extra: unicast('192.0.2.2', ['192.0.2.1']) });
    const [self] = diagnostics([a, b], 'cluster-unicast-self');
    expect(self!.d.fixes![0]).toMatchObject({ preferred: true });
    expect(self!.d.fixes![0]!.manual).toBeUndefined();
    const fixed = apply(self!.text, self!.d);
    expect(fixed).not.toMatch(/unicast_peer {\s*192\.0\.2\.1\s/);
    expect(fixed).toMatch(/unicast_peer {\s*192\.0\.2\.2\s*}/);
    // The whole line goes: no blank line with trailing spaces is left in the list.
    expect(fixed).toContain('unicast_peer {\n        192.0.2.2\n    }');
    expect(diagnostics([fixed, b], 'cluster-unicast-self')).toEqual([]);
  });

  it('reports every line naming the node itself, so one round of --fix removes them all', () => {
    const a = nodeConf({ extra: unicast('192.0.2.1', ['192.0.2.1', '192.0.2.2', '192.0.2.1']) });
    const b = nodeConf({ extra: unicast('192.0.2.2', ['192.0.2.1']) });
    const found = diagnostics([a, b], 'cluster-unicast-self');
    expect(found.map((f) => f.d.range.start.line)).toEqual([5, 7]);
  });

  it('offers the peer’s advert_int, version and virtual_router_id as editor-only suggestions', () => {
    const a = nodeConf({ extra: ['advert_int 3'] });
    const b = nodeConf({ extra: ['advert_int 1'] });
    const found = diagnostics([a, b], 'cluster-advert-int-mismatch');
    expect(found).toHaveLength(2);
    const first = found[0]!;
    expect(first.d.fixes![0]).toMatchObject({
      manual: true,
      title: expect.stringMatching(/^Use advert_int 1, as/),
    });
    const fixed = apply(first.text, first.d);
    expect(diagnostics([fixed, b], 'cluster-advert-int-mismatch')).toEqual([]);

    const v = diagnostics(
      [nodeConf({ extra: ['version 3'] }), nodeConf({ extra: ['version 2'] })],
      'cluster-version-mismatch',
    );
    expect(v[0]!.d.fixes![0]!.title).toMatch(/^Use version 2, as/);

    const r = diagnostics([nodeConf({ vrid: 51 }), nodeConf({ vrid: 52 })], 'cluster-vrid-mismatch');
    expect(r[0]!.d.fixes![0]).toMatchObject({
      manual: true,
      title: expect.stringMatching(/^Use virtual_router_id 52, as/),
    });
    expect(
      diagnostics([apply(r[0]!.text, r[0]!.d), nodeConf({ vrid: 52 })], 'cluster-vrid-mismatch'),
    ).toEqual([]);
  });
});
