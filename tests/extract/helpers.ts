import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../fixtures/', import.meta.url));
const local = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Bytes of a shared fixture under tests/fixtures/. */
export function fixture(path: string): Buffer {
  return readFileSync(root + path);
}

/** Bytes of a constructed page under tests/extract/fixtures/. */
export function constructed(name: string): Buffer {
  return readFileSync(local + name);
}

export const FEMA_A = 'govpages/real_fema-hurricane-maria_2017-10-03.a.html';
export const FEMA_B = 'govpages/real_fema-hurricane-maria_2017-10-05_mojibake.b.html';
export const DOE_A = 'govpages/real_doe-energy-gov-homepage_2017-09-late.a.html';
export const DOE_B = 'govpages/real_doe-energy-gov-homepage_2017-09-29plus.b.html';
export const BOGUS_CHARSET = 'govpages/edge-cases/nws-radar-status_bogus-charset.html';
export const LETTER_PDF = 'statements/2019-10-04_open-letter-facebook_privacy-first.pdf';
