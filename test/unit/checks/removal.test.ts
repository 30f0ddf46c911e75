// removal(): the edit a fix uses to take a list entry out, whole line or just the words.
import { describe, expect, it } from 'vitest';
import { removal } from '../../../server/src/checks/finding';
import { applyEdits } from '../../../server/src/checks/fixes';

const remove = (text: string, word: string) => {
  const start = text.indexOf(word);
  return applyEdits(text, [removal(text, start, start + word.length)]);
};

describe('removal', () => {
  it('takes the whole line when the entry is alone on it, blanks and line break included', () => {
    expect(remove('peers {\n    192.0.2.1\n    192.0.2.2\n}\n', '192.0.2.1')).toBe(
      'peers {\n    192.0.2.2\n}\n',
    );
    expect(remove('peers {\r\n    192.0.2.1  \r\n}\r\n', '192.0.2.1')).toBe('peers {\r\n}\r\n');
    expect(remove('x\n  192.0.2.1', '192.0.2.1')).toBe('x\n');
  });

  it('takes only the words when something else shares the line', () => {
    expect(remove('peers { 192.0.2.1 }\n', '192.0.2.1')).toBe('peers {  }\n');
    expect(remove('  192.0.2.1 # me\n', '192.0.2.1')).toBe('   # me\n');
  });
});
