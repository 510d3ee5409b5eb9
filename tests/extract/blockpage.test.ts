/** Bot walls and soft 404s, including the two labelled EDGI Version records. */
import { describe, expect, it } from 'vitest';
import { detectBlockPage, extract } from '../../src/extract/index.js';
import type { Extracted } from '../../src/extract/index.js';
import { fixture } from './helpers.js';

interface VersionRecord {
  data: {
    title: string;
    status: number;
    url: string;
    headers: Record<string, string>;
    source_metadata: { redirected_url?: string };
  };
}

const record = (name: string): VersionRecord => JSON.parse(fixture(`govpages/edge-cases/${name}`).toString('utf8')) as VersionRecord;

/** The records carry no body: an extraction result with their title and no statement text. */
function fromRecord(r: VersionRecord): [Extracted, { status: number; headers: Record<string, string>; finalUrl: string }] {
  const extracted: Extracted = { kind: 'html', text: '', paragraphs: [], title: r.data.title, repairs: [], links: [], method: 'heuristic' };
  return [extracted, { status: r.data.status, headers: r.data.headers, finalUrl: r.data.source_metadata.redirected_url ?? r.data.url }];
}

const page = (title: string, text: string): Extracted => ({
  kind: 'html', text, paragraphs: text ? text.split('\n\n') : [], title, repairs: [], links: [], method: 'heuristic',
});
const ok = { status: 200, headers: { 'content-type': 'text/html' }, finalUrl: 'https://www.example.gov/statement' };

describe('EDGI quality-0.0 records', () => {
  it('LBL tracking-the-sun: Cloudflare challenge (403, cf-mitigated)', () => {
    const [e, ctx] = fromRecord(record('blocked_lbl-tracking-the-sun_cloudflare-challenge_quality-0.0.version.json'));
    const v = detectBlockPage(e, ctx);
    expect(v).toMatchObject({ blocked: true, kind: 'challenge' });
    expect(v.blocked && v.reason).toContain('cf-mitigated');
    // The title alone is enough even without the header.
    const { 'cf-mitigated': _, ...rest } = ctx.headers;
    expect(detectBlockPage(e, { ...ctx, headers: rest })).toMatchObject({ blocked: true, kind: 'challenge' });
  });

  it('Federal Register: "200 OK" after a redirect to unblock.federalregister.gov', () => {
    const [e, ctx] = fromRecord(record('blocked_federalregister_unblock-redirect_quality-0.0.version.json'));
    expect(ctx.status).toBe(200);
    const v = detectBlockPage(e, ctx);
    expect(v).toMatchObject({ blocked: true, kind: 'access-request' });
    expect(v.blocked && v.reason).toContain('https://unblock.federalregister.gov/');
    // The "Request Access" title is enough even at the original URL.
    expect(detectBlockPage(e, { ...ctx, finalUrl: 'https://www.federalregister.gov/documents/x' })).toMatchObject({ blocked: true, kind: 'access-request' });
  });
});

describe('other walls', () => {
  it('recognises challenge texts on short pages', () => {
    expect(detectBlockPage(page('www.example.gov', 'Checking your browser before accessing www.example.gov.'), ok)).toMatchObject({ blocked: true });
    expect(detectBlockPage(page('Access Denied', "You don't have permission to access \"http://www.example.gov/\" on this server. Reference #18.1234"), { ...ok, status: 403 })).toMatchObject({ blocked: true });
    expect(detectBlockPage(page('Attention Required! | Cloudflare', 'Sorry, you have been blocked'), ok)).toMatchObject({ blocked: true, kind: 'challenge' });
  });

  it('a WAF 403/429 on a short page is a block', () => {
    expect(detectBlockPage(page('Error', 'Too many requests'), { ...ok, status: 429, headers: { Server: 'AkamaiGHost' } })).toMatchObject({ blocked: true });
  });
});

describe('soft 404', () => {
  it('200 with a "page not found" title on a short page', () => {
    expect(detectBlockPage(page('Page not found | GOV.UK', 'The page you were looking for could not be found.'), ok)).toMatchObject({ blocked: true, kind: 'soft-404' });
    expect(detectBlockPage(page('404 - Not Found', 'Try the search.'), ok)).toMatchObject({ blocked: true, kind: 'soft-404' });
    expect(detectBlockPage(page('Department of Energy', 'Error 404\n\nSorry, this page does not exist.'), ok)).toMatchObject({ blocked: true, kind: 'soft-404' });
  });

  it('a real statement that mentions 404 or "not found" is not blocked', () => {
    expect(detectBlockPage(page('Section 404 Permit Program', 'Section 404 of the Clean Water Act establishes a program to regulate discharges.'), ok)).toEqual({ blocked: false });
    const long = 'We, the undersigned, support strong encryption. '.repeat(60) + 'Evidence of abuse was not found in the audit.';
    expect(detectBlockPage(page('Page not found? No: the statement', long), ok)).toEqual({ blocked: false });
  });

  it('real extractions of real statements are not blocked', async () => {
    const r = await extract({ body: fixture('govpages/real_fema-hurricane-maria_2017-10-03.a.html'), url: 'https://www.fema.gov/hurricane-maria' });
    expect(detectBlockPage(r, { ...ok, finalUrl: 'https://www.fema.gov/hurricane-maria' })).toEqual({ blocked: false });
    const letter = await extract({ body: fixture('statements/2019-10-04_open-letter-facebook_privacy-first.pdf') });
    expect(detectBlockPage(letter, { ...ok, headers: { server: 'cloudflare' } })).toEqual({ blocked: false });
  });
});
