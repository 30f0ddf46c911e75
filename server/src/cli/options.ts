// Command-line parsing for keepalived-lint. Kept apart from main so it can be unit-tested.
import type { Severity, SeverityOrOff } from '../checks/rules';
import { RULES } from '../checks/families';
import { MAX_FOLDER_FILES } from '../analysis/budget';
import { parseVersion } from '../schema/version';
import { TEMPLATE_MODES, type TemplateMode } from '../syntax/templates';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab', 'rdjson'] as const;
export type Format = (typeof FORMATS)[number];

export interface CliOptions {
  format: Format;
  configId?: string;
  keepalivedVersion?: string;
  rules: Record<string, SeverityOrOff>;
  inlineIgnores: boolean;
  /** Lowest severity that makes the exit code 1. */
  failOn: Severity;
  color: boolean;
  paths: string[];
  help: boolean;
  version: boolean;
  /** Apply the preferred fixes in place. */
  fix: boolean;
  /** Account that fixes put on scripts. */
  scriptUser?: string;
  /** The config is for this machine: report missing scripts and check every script path. */
  thisHost: boolean;
  /** A settings file to use instead of the one found upward from each config; false: none at all. */
  settings?: string | false;
  /** Findings this baseline file records are not reported. */
  baseline?: string;
  /** Record every finding in this baseline file (then report as with --baseline FILE). */
  writeBaseline?: string;
  /** Print the failover tables of the nodes given instead of the findings. */
  explainFailover: boolean;
  /** How template syntax is read (`--template`); undefined = auto. */
  template?: TemplateMode;
}

export const USAGE = `Usage: keepalived-lint [options] PATH...

Checks keepalived configuration files (or every config file under a folder) the way keepalived -t
reads them, and reports problems.

Options:
  --format FORMAT           output format (default: text): text, json, sarif (SARIF 2.1.0 for code
                            scanning), github (Actions annotations), gitlab (Code Quality), rdjson (reviewdog)
  --baseline FILE           do not report the findings FILE records (report and fail on new ones only)
  --write-baseline FILE     record every finding in FILE, for --baseline
  --config-id ID            evaluate @ID conditional lines as keepalived --config-id ID would
  --keepalived-version X.Y[.Z]
                            target keepalived version, e.g. 2.2.7 (default: newest); X.Y means X.Y.0,
                            so keywords added in a later X.Y.z release are reported
  --rule ID=SEVERITY        set a rule's severity: error, warning, info, hint or off (repeatable)
  --template auto|jinja|erb|go|none
                            template syntax to mask (default: auto, by file name and content); none reads
                            every file as plain keepalived
  --no-inline-ignores       ignore '# keepalived-lint: ignore=...' comments
  --fail-on SEVERITY        lowest severity that fails the run (default: error)
  --fix                     apply the preferred fixes in place, then report what is left
  --script-user NAME        account the fixes put on scripts (default: keepalived_script)
  --this-host               the config is for this machine: report missing scripts and interfaces, check
                            every script path
  --settings FILE           use this settings file for every config instead of the .keepalived-lint.json
                            (or package.json "keepalived-lint" key) found upward from each; flags win
  --no-settings             use no settings file
  --explain-failover        print who holds the VIP when each check fails or a node stops (text, or json)
  --no-color                plain text output
  -h, --help                show this help
  --version                 show the version

Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage error, unreadable input, a folder with
more config files than are checked (${withThousandsSeparators(MAX_FOLDER_FILES)}), a settings file with problems (reported as invalid-settings
findings on it) or internal error.`;

const SEVERITIES = ['error', 'warning', 'info', 'hint'];

/**
 * 5000 -> "5,000". Not toLocaleString: its first call loads ICU's locale data, 10-19 ms of CPU on this
 * machine, which was most of the CLI's start-up above Node's own (the help text is built as the module loads).
 */
function withThousandsSeparators(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

export class UsageError extends Error {}

export function parseArgs(argv: string[]): CliOptions {
  const options: CliOptions = {
    format: 'text',
    rules: {},
    inlineIgnores: true,
    failOn: 'error',
    color: false,
    paths: [],
    help: false,
    version: false,
    fix: false,
    thisHost: false,
    explainFailover: false,
  };
  const value = (i: number, flag: string): string => {
    const v = argv[i];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    const next = (): string => inline ?? value(++i, flag);
    switch (flag) {
      case '--format': {
        const f = next();
        if (!(FORMATS as readonly string[]).includes(f))
          throw new UsageError(`unknown format '${f}': use ${FORMATS.join(', ')}`);
        options.format = f as Format;
        break;
      }
      case '--config-id':
        options.configId = next();
        break;
      case '--keepalived-version': {
        const v = next();
        if (!parseVersion(v))
          throw new UsageError(`'${v}' is not a keepalived version: use X.Y or X.Y.Z, e.g. 2.2.7`);
        options.keepalivedVersion = v;
        break;
      }
      case '--rule': {
        const spec = next();
        const m = /^([a-z0-9-]+)=(\w+)$/.exec(spec);
        if (!m) throw new UsageError(`--rule takes ID=SEVERITY, got '${spec}'`);
        if (!RULES.has(m[1]!)) throw new UsageError(`unknown rule '${m[1]}'`);
        if (![...SEVERITIES, 'off'].includes(m[2]!))
          throw new UsageError(`unknown severity '${m[2]}': use ${SEVERITIES.join(', ')} or off`);
        options.rules[m[1]!] = m[2] as SeverityOrOff;
        break;
      }
      case '--template': {
        const t = next();
        if (!(TEMPLATE_MODES as readonly string[]).includes(t))
          throw new UsageError(`unknown template dialect '${t}': use ${TEMPLATE_MODES.join(', ')}`);
        options.template = t as TemplateMode;
        break;
      }
      case '--no-inline-ignores':
        options.inlineIgnores = false;
        break;
      case '--fail-on': {
        const s = next();
        if (!SEVERITIES.includes(s))
          throw new UsageError(`unknown severity '${s}': use ${SEVERITIES.join(', ')}`);
        options.failOn = s as Severity;
        break;
      }
      case '--fix':
        options.fix = true;
        break;
      case '--script-user':
        options.scriptUser = next();
        break;
      case '--this-host':
        options.thisHost = true;
        break;
      case '--settings':
        options.settings = next();
        break;
      case '--no-settings':
        options.settings = false;
        break;
      case '--baseline':
        options.baseline = next();
        break;
      case '--write-baseline':
        options.writeBaseline = next();
        break;
      case '--explain-failover':
        options.explainFailover = true;
        break;
      case '--no-color':
        options.color = false;
        break;
      case '--color':
        options.color = true;
        break;
      case '-h':
      case '--help':
        options.help = true;
        break;
      case '--version':
        options.version = true;
        break;
      default:
        if (raw.startsWith('-') && raw !== '-') throw new UsageError(`unknown option '${raw}'`);
        options.paths.push(raw);
    }
  }
  return options;
}
