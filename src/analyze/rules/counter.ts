/** Noise: visit, view, download and share counters ("Viewed 1,234 times", "2,345 views"). */
import type { NoiseRule } from './types.js';

const NUM = '\\d[\\d,.\\s]*\\d?\\s?[kKmM]?\\+?';
const NOUN = '(?:page\\s?)?(?:views?|visits?|visitors?|reads?|hits?|downloads?|shares?|likes?|comments?|retweets?|reposts?|followers?|subscribers?|reactions?|plays?)';
const COUNTER = new RegExp(
  [
    `(\\b${NUM})(?=\\s*${NOUN}\\b)`,
    `(?<=\\b(?:${NOUN}|viewed|visited|read|downloaded|shared|liked)\\s*[:(]?\\s*)(${NUM})`,
    `(?<=\\b(?:viewed|visited|read|downloaded|shared|accessed)\\s+)(${NUM})(?=\\s+times\\b)`,
  ].join('|'),
  'gi',
);

export function maskCounters(text: string): string {
  return text.replace(COUNTER, ' #counter# ');
}

export const counterRule: NoiseRule = {
  kind: 'noise',
  name: 'counter',
  description: 'visit/view/download/share counters that change on every visit',
  mask: (before, after) => [maskCounters(before), maskCounters(after)],
  explain: () => 'counter changed (views/visits/downloads): noise',
};
