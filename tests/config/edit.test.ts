import { chmod, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSource, ConfigError, EXAMPLE_CONFIG, initConfig, loadConfig, removeSource } from '../../src/config/index.js';
import { problemsOfAsync, yaml } from './helpers.js';

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'redline-edit-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh file in its own folder, so leftover temp files would show up in that folder. */
async function fileWith(text: string): Promise<string> {
  const sub = path.join(dir, `case-${++n}`);
  await (await import('node:fs/promises')).mkdir(sub);
  const file = path.join(sub, 'redline.yaml');
  await writeFile(file, text);
  return file;
}

const read = (f: string) => readFile(f, 'utf8');

const HAND_WRITTEN = yaml(
  '# My watch list',
  'archive: ./snapshots   # evidence',
  '',
  'defaults:',
  '  schedule: "0 * * * *"      # hourly',
  'sources:',
  '  # First: the GOV.UK page',
  '  - id: uk',
  '    url: https://www.gov.uk/government/publications/international-statement-end-to-end-encryption-and-public-safety',
  '    tags: [five-eyes,encryption]   # odd spacing kept',
  '',
  '  # Second: the DOJ copy',
  '  - id: doj',
  '    url: https://www.justice.gov/opa/pr/international-statement-end-end-encryption-and-public-safety',
  '    select: >',
  '      main',
  '',
  '# Alerts below',
  'alerts:',
  '  # - type: webhook',
  '  #   url: https://hooks.example.org/redline',
);

describe('initConfig', () => {
  it('writes the commented example, which loads as it is', async () => {
    const file = path.join(dir, 'init', 'redline.yaml');
    await (await import('node:fs/promises')).mkdir(path.dirname(file));
    expect(await initConfig(file)).toBe(file);
    expect(await read(file)).toBe(EXAMPLE_CONFIG);
    const c = await loadConfig(file, {});
    expect(c.sources).toHaveLength(3);
    expect(c.archive).toBe(path.join(dir, 'init', 'snapshots'));
    // every key is explained: named in a comment line, or carrying an end-of-line comment
    for (const key of ['archive', 'timezone', 'defaults', 'sources', 'url', 'id', 'connect_timeout', 'response_timeout', 'body_timeout', 'schedule', 'user_agent', 'timeout', 'max_size', 'per_host_concurrency', 'per_host_delay', 'retries', 'watch_terms', 'kind', 'select', 'remove', 'tags', 'headers', 'ignore_robots', 'alerts']) {
      expect(EXAMPLE_CONFIG.split('\n').some((l) => l.includes(key) && l.includes('#')), key).toBe(true);
    }
  });

  it('refuses to overwrite an existing file unless forced', async () => {
    const file = await fileWith('archive: ./mine\n');
    await expect(initConfig(file)).rejects.toThrow(`${file} already exists; not overwritten (use --force`);
    expect(await read(file)).toBe('archive: ./mine\n');
    await initConfig(file, { force: true });
    expect(await read(file)).toBe(EXAMPLE_CONFIG);
    expect(await readdir(path.dirname(file))).toEqual(['redline.yaml']);
  });

  it('says which folder is missing', async () => {
    const file = path.join(dir, 'no-such-folder', 'redline.yaml');
    await expect(initConfig(file)).rejects.toThrow(`cannot create ${file}: the folder ${path.dirname(file)} does not exist`);
  });
});

describe('addSource', () => {
  it('appends the source, derives its id, and leaves every other byte alone', async () => {
    const file = await fileWith(HAND_WRITTEN);
    const id = await addSource(file, { url: 'https://www.homeaffairs.gov.au/about-us/our-portfolios/national-security/lawful-access-telecommunications/encryption', tags: ['five-eyes'], select: 'main', kind: 'html' }, {});
    expect(id).toBe('homeaffairs-gov-au-encryption');
    const block = yaml(
      '',
      '  - id: homeaffairs-gov-au-encryption',
      '    url: https://www.homeaffairs.gov.au/about-us/our-portfolios/national-security/lawful-access-telecommunications/encryption',
      '    kind: html',
      '    select: main',
      '    tags: [five-eyes]',
    );
    const after = await read(file);
    const at = HAND_WRITTEN.indexOf('\n# Alerts below');
    expect(after).toBe(HAND_WRITTEN.slice(0, at) + block + HAND_WRITTEN.slice(at));
    const c = await loadConfig(file, {});
    expect(c.sources.map((s) => s.id)).toEqual(['uk', 'doj', 'homeaffairs-gov-au-encryption']);
    expect(c.sources[2]).toMatchObject({ kind: 'html', select: ['main'], tags: ['five-eyes'], schedule: '0 * * * *' });
    expect(await readdir(path.dirname(file))).toEqual(['redline.yaml']);
  });

  it('then removeSource gives back the original text', async () => {
    const file = await fileWith(EXAMPLE_CONFIG);
    const id = await addSource(file, { url: 'https://www.publicsafety.gc.ca/cnt/rsrcs/pblctns/2020-jnt-sttmnt-ncrptn-pblc-sfty/index-en.aspx', id: 'ca-e2ee', schedule: '0 6 * * *', remove: ['.gc-share', '#wb-info'] }, {});
    expect(id).toBe('ca-e2ee');
    const added = await read(file);
    expect(added).toContain('  - id: ca-e2ee\n    url: https://www.publicsafety.gc.ca/');
    expect(added).toContain('    remove: [.gc-share, "#wb-info"]\n    schedule: 0 6 * * *\n');
    expect((await loadConfig(file, {})).sources[3]).toMatchObject({ id: 'ca-e2ee', schedule: '0 6 * * *', remove: ['.gc-share', '#wb-info'] });
    await removeSource(file, 'ca-e2ee', {});
    expect(await read(file)).toBe(EXAMPLE_CONFIG);
  });

  it('refuses a duplicate id or URL, naming where it already is; the file is untouched', async () => {
    const file = await fileWith(HAND_WRITTEN);
    const dupId = await problemsOfAsync(() => addSource(file, { url: 'https://other.example/', id: 'doj' }, {}));
    expect(dupId).toEqual([{ file, line: 13, column: 9, path: 'sources[1].id', message: 'the id "doj" is already used; choose another' }]);
    const dupUrl = await problemsOfAsync(() =>
      addSource(file, { url: 'HTTPS://WWW.GOV.UK/government/publications/international-statement-end-to-end-encryption-and-public-safety' }, {}),
    );
    expect(dupUrl).toEqual([{ file, line: 9, column: 10, path: 'sources[0].url', message: expect.stringMatching(/is already watched as "uk"$/) }]);
    expect(await read(file)).toBe(HAND_WRITTEN);
  });

  it('numbers a derived id that another URL already derived', async () => {
    const file = await fileWith(yaml('sources:', '  - url: https://a.example/x/statement', '  - url: https://a.example/y/statement?v=2'));
    expect(await addSource(file, { url: 'https://a.example/z/statement' }, {})).toBe('a-example-statement-2');
    expect(await addSource(file, { url: 'https://a.example/w/statement' }, {})).toBe('a-example-statement-3');
  });

  it('validates what it is given before touching the file, path-escaping ids included', async () => {
    const file = await fileWith(HAND_WRITTEN);
    for (const id of ['../x', 'a/b', '..', '../../etc/cron.d/x']) {
      const [p] = await problemsOfAsync(() => addSource(file, { url: 'https://a.example/', id }, {}));
      expect(p).toMatchObject({ file, line: 0, path: 'new source id', message: expect.stringContaining('is not a valid source id') });
    }
    const bad = await problemsOfAsync(() => addSource(file, { url: 'file:///etc/passwd', kind: 'word' as never, schedule: '*/61 * * * *' }, {}));
    expect(bad.map((p) => p.path)).toEqual(['new source url', 'new source kind', 'new source schedule']);
    expect(bad[0].message).toBe('"file:///etc/passwd" uses file: only http and https URLs can be watched');
    expect(await read(file)).toBe(HAND_WRITTEN);
  });

  it('refuses to edit a file that is already invalid, listing its problems', async () => {
    const text = yaml('sources:', '  - url: https://a.example/', '    shedule: daily');
    const file = await fileWith(text);
    const problems = await problemsOfAsync(() => addSource(file, { url: 'https://b.example/' }, {}));
    expect(problems.map((p) => `${p.line} ${p.path}`)).toEqual(['3 sources[0].shedule']);
    expect(await read(file)).toBe(text);
  });

  it('works without the secrets the file needs at run time', async () => {
    const text = yaml('sources:', '  - url: https://a.example/', 'alerts:', '  - type: webhook', '    url: ${HOOK_URL}', '    secret: ${HOOK_SECRET}');
    const file = await fileWith(text);
    await addSource(file, { url: 'https://b.example/page' }, {});
    await expect(loadConfig(file, {})).rejects.toThrow(/HOOK_URL is not set/);
    expect((await loadConfig(file, { HOOK_URL: 'https://hooks.example/', HOOK_SECRET: 'x' })).sources).toHaveLength(2);
  });

  it.each([
    ['no sources key', yaml('# just a comment', 'archive: ./a'), yaml('# just a comment', 'archive: ./a', '', 'sources:', '  - id: b-example-page', '    url: https://b.example/page')],
    ['an empty file', '', yaml('sources:', '  - id: b-example-page', '    url: https://b.example/page')],
    ['no final newline', 'archive: ./a', yaml('archive: ./a', '', 'sources:', '  - id: b-example-page', '    url: https://b.example/page')],
    [
      'an empty key followed by comments',
      yaml('sources:   # none yet', '  # - url: https://example.org/', 'alerts: []'),
      yaml('sources: # none yet', '  - id: b-example-page', '    url: https://b.example/page', '  # - url: https://example.org/', 'alerts: []'),
    ],
    ['an empty flow list', yaml('sources: []', 'alerts: []'), yaml('sources:', '  - id: b-example-page', '    url: https://b.example/page', 'alerts: []')],
    [
      'a flow list',
      yaml('sources: [{ url: "https://a.example/x" }]   # inline', 'alerts: []'),
      yaml('sources: # inline', '  - url: https://a.example/x', '  - id: b-example-page', '    url: https://b.example/page', 'alerts: []'),
    ],
    [
      'a list at column 0 with CRLF line ends',
      'sources:\r\n- id: a\r\n  url: https://a.example/\r\n',
      'sources:\r\n- id: a\r\n  url: https://a.example/\r\n- id: b-example-page\r\n  url: https://b.example/page\r\n',
    ],
  ])('adds to %s', async (_name, before, expected) => {
    const file = await fileWith(before);
    await addSource(file, { url: 'https://b.example/page' }, {});
    expect(await read(file)).toBe(expected);
    expect((await loadConfig(file, {})).sources.at(-1)?.id).toBe('b-example-page');
  });

  it('edits the target of a symlink and keeps the file mode', async () => {
    const file = await fileWith(yaml('sources:', '  - url: https://a.example/'));
    await chmod(file, 0o600);
    const link = path.join(path.dirname(file), 'linked.yaml');
    await symlink(file, link);
    await addSource(link, { url: 'https://b.example/page' }, {});
    expect((await stat(link)).isFile()).toBe(true);
    expect((await (await import('node:fs/promises')).lstat(link)).isSymbolicLink()).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await read(file)).toContain('b-example-page');
  });

  it('names the missing file and redline init', async () => {
    await expect(addSource(path.join(dir, 'nope.yaml'), { url: 'https://a.example/' }, {})).rejects.toThrow(/redline init/);
  });
});

describe('removeSource', () => {
  it('removes the entry and the comment directly above it, keeping every other comment', async () => {
    const file = await fileWith(HAND_WRITTEN);
    await removeSource(file, 'uk', {});
    expect(await read(file)).toBe(
      yaml(
        '# My watch list',
        'archive: ./snapshots   # evidence',
        '',
        'defaults:',
        '  schedule: "0 * * * *"      # hourly',
        'sources:',
        '  # Second: the DOJ copy',
        '  - id: doj',
        '    url: https://www.justice.gov/opa/pr/international-statement-end-end-encryption-and-public-safety',
        '    select: >',
        '      main',
        '',
        '# Alerts below',
        'alerts:',
        '  # - type: webhook',
        '  #   url: https://hooks.example.org/redline',
      ),
    );
    await removeSource(file, 'doj', {});
    const after = await read(file);
    expect(after).toBe(
      yaml('# My watch list', 'archive: ./snapshots   # evidence', '', 'defaults:', '  schedule: "0 * * * *"      # hourly', 'sources:', '# Alerts below', 'alerts:', '  # - type: webhook', '  #   url: https://hooks.example.org/redline'),
    );
    expect((await loadConfig(file, {})).sources).toEqual([]);
    expect(await readdir(path.dirname(file))).toEqual(['redline.yaml']);
  });

  it('removes a source whose id was derived, from the middle of the example', async () => {
    const file = await fileWith(EXAMPLE_CONFIG);
    await removeSource(file, 'justice-gov-international-statement-end-end-encryption-and-public-safety', {});
    const after = await read(file);
    expect(after).not.toContain('https://www.justice.gov/');
    expect(after).not.toContain('The same statement as published by the US Department of Justice');
    expect(EXAMPLE_CONFIG.replace(/\n  # The same statement[^]*?tags: \[five-eyes, encryption, statement\]\n(?=\n  # Open letter)/, '')).toBe(after);
    expect((await loadConfig(file, {})).sources.map((s) => s.kind)).toEqual(['html', 'pdf']);
  });

  it('names the known ids when the id is absent', async () => {
    const file = await fileWith(HAND_WRITTEN);
    await expect(removeSource(file, 'dj', {})).rejects.toThrow(`${file}: no source has the id "dj" (did you mean "doj"?); known ids: uk, doj`);
    await expect(removeSource(file, '../uk', {})).rejects.toThrow(/no source has the id "\.\.\/uk"/);
  });

  it('refuses while an alert channel routes from the source', async () => {
    const text = yaml('sources:', '  - id: a', '    url: https://a.example/', 'alerts:', '  - type: webhook', '    url: https://hooks.example/', '    sources: [a]');
    const file = await fileWith(text);
    const [p] = await problemsOfAsync(() => removeSource(file, 'a', {}));
    expect(p).toMatchObject({ line: 7, path: 'alerts[0].sources', message: expect.stringContaining('routes alerts from "a"') });
    expect(await read(file)).toBe(text);
  });

  it('rewrites a flow list with variables as written, never with their values', async () => {
    const file = await fileWith(yaml('sources: [{ url: "https://${HOST}/a", headers: { Authorization: "Bearer ${TOKEN}" } }, { id: b, url: "https://b.example/" }]'));
    const env = { HOST: 'intranet.example', TOKEN: 'hunter2' };
    await removeSource(file, 'b', env);
    await addSource(file, { url: 'https://c.example/page' }, env);
    const after = await read(file);
    expect(after).not.toMatch(/hunter2|intranet\.example/);
    expect(after).toContain('https://${HOST}/a');
    expect(after).toContain('Bearer ${TOKEN}');
    expect((await loadConfig(file, env)).sources[0].headers).toEqual({ Authorization: 'Bearer hunter2' });
  });

  it('removes from a flow list', async () => {
    const file = await fileWith(yaml('sources: [{ url: "https://a.example/x" }, { id: b, url: "https://b.example/" }]'));
    await removeSource(file, 'b', {});
    expect(await read(file)).toBe(yaml('sources:', '  - url: https://a.example/x'));
    await removeSource(file, 'a-example-x', {});
    expect(await read(file)).toBe(yaml('sources:'));
  });

  it('throws ConfigError for an invalid file and leaves it alone', async () => {
    const text = yaml('sources:', '  - id: a', '    url: nope');
    const file = await fileWith(text);
    await expect(removeSource(file, 'a', {})).rejects.toBeInstanceOf(ConfigError);
    expect(await read(file)).toBe(text);
  });
});
