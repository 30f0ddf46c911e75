import { it } from 'vitest';
import { conf, lint } from '../helpers';
it('x', () => {
  for (const text of [conf('$INNER= \\', '$X=1 \\', '', '$OUTER= \\', '$Y=3 \\', '$INNER', '$OUTER', '# end'),
  conf('$RS= \\','    MISC_CHECK { \\','\tmisc_path ${INST}.x \\','','$VS= \\','  $RS \\','$VS','# end')])
  for (const d of lint(text, { keepalivedVersion: '2.2.7', template: 'none' })) console.log(d.rule, JSON.stringify(d.range), d.offsets, d.message.slice(0,60));
});
