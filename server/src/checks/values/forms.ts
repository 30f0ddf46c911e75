// A value against the form (value-forms.ts) and the choices (value-since.ts) the targeted release reads.
import { valueFormOf } from '../../schema/value-forms';
import { valueTooNew } from '../../schema/value-since';
import { NO_ARG_FINDINGS, type Arg, type ArgFinding } from './args';

export function checkValueForm(
  path: string,
  arg: Arg | undefined,
  version: string | undefined,
): readonly ArgFinding[] {
  const form = arg && valueFormOf(path, version);
  if (!arg || !form) return NO_ARG_FINDINGS;
  const m = /^\+?(\d*)(?:\.(\d*))?$/.exec(arg.value);
  if (!m) return NO_ARG_FINDINGS; // not a number at all: the schema's own check says so
  const decimals = (m[2] ?? '').replace(/0+$/, '').length;
  const tooFine = decimals > form.decimals;
  const tooBig = Number(arg.value) > form.max;
  if (!tooFine && !tooBig) return NO_ARG_FINDINGS;
  const release = version ? `keepalived ${version}` : 'keepalived';
  const takes =
    form.decimals === 0
      ? `whole seconds up to ${form.max}${form.until ? ` (fractions are read from ${form.until})` : ''}`
      : `up to ${form.max} s with at most ${form.decimals} decimal places`;
  return [
    {
      rule: 'invalid-value',
      message: `${release} reads ${takes} here: for '${arg.value}' it ${form.rejects.replace('%s', arg.value)}.`,
      start: arg.word.start,
      end: arg.word.end,
    },
  ];
}

/** A choice value the targeted release does not know yet (schema/value-since.ts). */
export function checkValueSince(
  path: string,
  arg: Arg | undefined,
  version: string | undefined,
): readonly ArgFinding[] {
  const entry = arg && valueTooNew(path, arg.value, version);
  if (!arg || !entry || !version) return NO_ARG_FINDINGS;
  const caveat = entry.caveat ? ` (from ${entry.since} ${entry.caveat})` : '';
  return [
    {
      rule: 'invalid-value',
      message: `'${arg.value}' is accepted from keepalived ${entry.since}${caveat}; keepalived ${version} ${entry.rejects}.`,
      start: arg.word.start,
      end: arg.word.end,
    },
  ];
}
