// The project settings file: discovery upward, overrides and ignores per glob, located problems in a
// malformed file, and the JSON schema editors validate it with (generated, and agreeing with the reader).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../../server/src/node/fs';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import {
  globMatches,
  parseSettingsFile,
  settingsDiagnostics,
  settingsSchema,
  SettingsFiles,
  withProjectSettings,
} from '../../server/src/settings-file';

const root = mkdtempSync(join(tmpdir(), 'kl-settings-'));
const write = (path: string, text: string): string => {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, text);
  return full;
};
const fixtures = join(__dirname, '../fixtures/settings');
const schemaFile = join(__dirname, '../../schemas/keepalived-lint.schema.json');

describe('discovery', () => {
  it('finds the nearest .keepalived-lint.json upward; the nearest wins, files do not cascade', () => {
    write('repo/.keepalived-lint.json', '{ "configId": "top", "rules": { "cleartext-auth": "off" } }');
    write('repo/site/b/.keepalived-lint.json', '{ "configId": "inner" }');
    const files = new SettingsFiles(nodeFileSystem);
    const top = files.resolve(join(root, 'repo/site/a/keepalived.conf'));
    expect(top.file?.path).toBe(join(root, 'repo/.keepalived-lint.json'));
    expect(top.settings).toEqual({ configId: 'top', rules: { 'cleartext-auth': 'off' } });
    const inner = files.resolve(join(root, 'repo/site/b/keepalived.conf'));
    expect(inner.settings).toEqual({ configId: 'inner' });
  });

  it('reads the keepalived-lint key of package.json, and skips one without it', () => {
    write('pkg/package.json', '{ "name": "x", "keepalived-lint": { "keepalivedVersion": "2.2.7" } }');
    // Naming the package as a dependency does not make a package.json a settings file.
    write('pkg/sub/package.json', '{ "name": "y", "devDependencies": { "keepalived-lint": "^0.1.0" } }');
    write('pkg/other/package.json', '{ not json');
    const files = new SettingsFiles(nodeFileSystem);
    for (const dir of ['pkg', 'pkg/sub', 'pkg/other']) {
      const r = files.resolve(join(root, dir, 'keepalived.conf'));
      expect(r.file?.path, dir).toBe(join(root, 'pkg/package.json'));
      expect(r.settings).toEqual({ keepalivedVersion: '2.2.7' });
    }
  });

  it('prefers .keepalived-lint.json over package.json in the same folder, and re-reads after clear()', () => {
    write('both/package.json', '{ "keepalived-lint": { "configId": "pkg" } }');
    const settings = write('both/.keepalived-lint.json', '{ "configId": "file" }');
    const files = new SettingsFiles(nodeFileSystem);
    const config = join(root, 'both/keepalived.conf');
    expect(files.resolve(config).settings.configId).toBe('file');
    writeFileSync(settings, '{ "configId": "changed" }');
    expect(files.resolve(config).settings.configId).toBe('file');
    files.clear();
    expect(files.resolve(config).settings.configId).toBe('changed');
  });

  it('finds nothing where there is no settings file', () => {
    const files = new SettingsFiles(nodeFileSystem);
    expect(files.resolve(join(root, 'nowhere/keepalived.conf'))).toEqual({ ignored: false, settings: {} });
  });
});

describe('overrides and ignores', () => {
  const file = parseSettingsFile(
    '/p/.keepalived-lint.json',
    JSON.stringify({
      keepalivedVersion: '2.4.3',
      rules: { 'cleartext-auth': 'off', 'extra-argument': 'error' },
      ignore: ['generated/', '*.bak'],
      overrides: [
        { files: 'legacy/**', keepalivedVersion: '2.0' },
        { files: ['legacy/old/*.conf'], rules: { 'cleartext-auth': 'warning' } },
        { files: '*.j2', template: 'jinja' },
      ],
    }),
  );
  const files = new SettingsFiles(nodeFileSystem);
  const at = (rel: string) => files.resolve(`/p/${rel}`, file);

  it('applies the overrides whose globs match, in order, rules merged rule by rule', () => {
    expect(at('site/keepalived.conf').settings.keepalivedVersion).toBe('2.4.3');
    expect(at('legacy/a/keepalived.conf').settings.keepalivedVersion).toBe('2.0');
    expect(at('legacy/old/x.conf').settings).toEqual({
      keepalivedVersion: '2.0',
      rules: { 'cleartext-auth': 'warning', 'extra-argument': 'error' },
    });
    // A glob without a slash matches the file name at any depth.
    expect(at('deep/down/keepalived.conf.j2').settings.template).toBe('jinja');
  });

  it('ignores what the ignore globs match (a trailing slash: everything under the folder)', () => {
    expect(at('generated/keepalived.conf').ignored).toBe(true);
    expect(at('generated/x/y.conf').ignored).toBe(true);
    expect(at('a/keepalived.conf.bak').ignored).toBe(true);
    expect(at('keepalived.conf').ignored).toBe(false);
    expect(globMatches('./site/*.conf', 'site/a.conf')).toBe(true);
  });

  it('puts the file over the editor settings', () => {
    const editor = { ...DEFAULT_SETTINGS, rules: { 'unknown-keyword': 'warning' as const }, configId: 'ed' };
    expect(withProjectSettings(editor, at('legacy/old/x.conf').settings)).toEqual({
      ...editor,
      keepalivedVersion: '2.0',
      rules: { 'unknown-keyword': 'warning', 'cleartext-auth': 'warning', 'extra-argument': 'error' },
    });
  });
});

describe('malformed files', () => {
  it('locates a JSON syntax error and uses none of the file', () => {
    const text = '{\n  "rules": { "cleartext-auth": "off", }\n}\n';
    const file = parseSettingsFile('/p/.keepalived-lint.json', text);
    expect(file.base).toEqual({});
    const [d, ...more] = settingsDiagnostics(file);
    expect(more).toEqual([]);
    expect(d).toMatchObject({ rule: 'invalid-settings', severity: 'error', range: { start: { line: 1 } } });
    expect(d!.message).toMatch(
      /^not valid JSON: a comma before the closing brace .*none of this file's settings are used/,
    );
    expect(text.slice(d!.offsets.start, d!.offsets.end)).toBe('}');
  });

  it('locates each bad entry on its key or value, and keeps the good ones', () => {
    const text =
      '{ "rules": { "cleartext-auth": "off", "nope": "off", "extra-argument": "loud" },\n' +
      '  "thisHost": "yes", "keepalivedVersion": "latest", "configId": "lb1", "colour": 1,\n' +
      '  "overrides": [ { "rules": {} }, 3 ], "configId": "lb2" }';
    const file = parseSettingsFile('/p/.keepalived-lint.json', text);
    expect(file.base).toEqual({ rules: { 'cleartext-auth': 'off' }, configId: 'lb2' });
    const found = file.problems.map((p) => [text.slice(p.start, p.end), p.message]);
    expect(found).toEqual([
      ['"nope"', "rules: unknown rule 'nope'"],
      ['"loud"', "rules: the severity of 'extra-argument' must be one of error, warning, info, hint, off"],
      ['"yes"', 'thisHost: must be true or false, not a string'],
      ['"latest"', "keepalivedVersion: 'latest' is not a keepalived version: use X.Y or X.Y.Z, e.g. 2.2.7"],
      ['"colour"', "unknown setting 'colour' (ignored)"],
      ['{ "rules": {} }', 'this override has no "files" globs, so it applies to nothing'],
      ['3', 'overrides: each entry must be an object with "files" and the settings for them'],
      ['"configId"', "'configId' is given twice; the last one counts"],
    ]);
    expect(settingsDiagnostics(file)[0]!.message).toMatch(
      /this entry is not used, so the configs under this folder are checked without it/,
    );
  });

  it('says so when the settings are not an object, or the file cannot be read', () => {
    expect(parseSettingsFile('/p/x.json', '[1]').problems[0]).toMatchObject({ whole: true });
    const unreadable = new SettingsFiles(nodeFileSystem).load(join(root, 'missing.json'));
    expect(unreadable.problems[0]!.message).toMatch(/^cannot read the settings file/);
  });
});

describe('the JSON schema', () => {
  it('is the one generated from the settings table (run `npx vitest run test/unit/settings-file -u` to update)', async () => {
    await expect(JSON.stringify(settingsSchema(), null, 2) + '\n').toMatchFileSnapshot(schemaFile);
  });

  it('is contributed to editors for the settings file and the package.json key', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
    expect(pkg.contributes.jsonValidation).toEqual([
      { fileMatch: '.keepalived-lint.json', url: './schemas/keepalived-lint.schema.json' },
      { fileMatch: 'package.json', url: './schemas/keepalived-package-json.schema.json' },
    ]);
    const wrapper = JSON.parse(
      readFileSync(join(__dirname, '../../schemas/keepalived-package-json.schema.json'), 'utf8'),
    );
    expect(wrapper.properties['keepalived-lint'].$ref).toBe('keepalived-lint.schema.json');
    const ajv = new Ajv({ allErrors: true });
    ajv.addSchema(JSON.parse(readFileSync(schemaFile, 'utf8')), 'keepalived-lint.schema.json');
    const validate = ajv.compile(wrapper);
    expect(validate({ name: 'x', 'keepalived-lint': { rules: { 'cleartext-auth': 'off' } } })).toBe(true);
    expect(validate({ name: 'x', 'keepalived-lint': { rules: { 'cleartext-auth': 'quiet' } } })).toBe(false);
  });

  it('accepts and rejects the example files exactly as the reader does', () => {
    const ajv = new Ajv({ allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
    const names = readdirSync(fixtures).filter((n) => n.endsWith('.json'));
    expect(names.filter((n) => n.startsWith('valid')).length).toBeGreaterThan(1);
    expect(names.filter((n) => n.startsWith('invalid')).length).toBeGreaterThan(4);
    for (const name of names) {
      const text = readFileSync(join(fixtures, name), 'utf8');
      const valid = name.startsWith('valid');
      expect(validate(JSON.parse(text)), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(valid);
      expect(parseSettingsFile(name, text).problems.length === 0, name).toBe(valid);
    }
  });
});
