// A value against the form the targeted keepalived release reads (schema/value-forms.ts).
import { valueFormOf } from '../../schema/value-forms';
import type { Arg, ArgFinding } from './args';

export function checkValueForm(
  path: string,
  arg: Arg | undefined,
  version: string | undefined,
): ArgFinding[] {
  const form = arg && valueFormOf(path, version);
  if (!arg || !form) return [];
  const m = /^\+?(\d*)(?:\.(\d*))?$/.exec(arg.value);
  if (!m) return []; // not a number at all: the schema's own check says so
  const decimals = (m[2] ?? '').replace(/0+$/, '').length;
  const tooFine = decimals > form.decimals;
  const tooBig = Number(arg.value) > form.max;
  if (!tooFine && !tooBig) return [];
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
