// Small helpers shared by the unit tests.
import { analyzeText, type AnalyzeOptions } from '../server/src/analysis/document';
import { lintFile, type Diagnostic, type LintOptions } from '../server/src/checks';

/** Lints an inline config; returns its diagnostics. */
export function lint(text: string, options: LintOptions & AnalyzeOptions = {}): Diagnostic[] {
  return lintFile(
    analyzeText('test.conf', text, {
      configId: options.configId,
      keepalivedVersion: options.keepalivedVersion,
      template: options.template,
    }),
    options,
  );
}

/** The rule ids reported, optionally only those of one rule, as "line:rule" (1-based lines). */
export function rulesAt(text: string, options: LintOptions & AnalyzeOptions = {}): string[] {
  return lint(text, options).map((d) => `${d.range.start.line + 1}:${d.rule}`);
}

/** Joins lines with newlines: keeps multi-line fixtures readable. */
export function conf(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

/**
 * What keepalived requires of every vrrp_instance once the whole configuration is read (vrrp.c
 * chk_min_cfg(), vrrp_complete_instance()): an interface, a virtual_router_id and a VIP. Without them
 * keepalived stops (rule instance-missing-required). Fixtures put these lines last in the block, so the
 * lines under test keep their numbers.
 */
export function requiredLines(vrid = 51, vip = '192.0.2.10', ifname = 'eth0'): string[] {
  return [` interface ${ifname}`, ` virtual_router_id ${vrid}`, ' virtual_ipaddress {', `  ${vip}`, ' }'];
}

/** The lines of a vrrp_instance block: its header, `lines`, then what keepalived requires (requiredLines). */
export function vrrpInstance(name: string, ...lines: string[]): string[] {
  return [`vrrp_instance ${name} {`, ...lines, ...requiredLines(), '}'];
}

/**
 * A `virtual_server group GROUP` block whose real server names a track_file (FILE_CHECK track_file) and a
 * bfd_instance (BFD_CHECK name): the uses of names inside checker blocks that schema/symbol-kinds.ts lists.
 * Lines indented by two spaces a level.
 */
export function virtualServerWithChecks(group: string, trackFile: string, bfd: string): string[] {
  return [
    `virtual_server group ${group} {`,
    '  real_server 192.0.2.6 80 {',
    '    FILE_CHECK {',
    `      track_file ${trackFile}`,
    '    }',
    '    BFD_CHECK {',
    `      name ${bfd}`,
    '    }',
    '  }',
    '}',
  ];
}
