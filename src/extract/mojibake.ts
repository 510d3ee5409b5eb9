/**
 * Repair of double-encoded UTF-8 ("EspaÃ±ol" for "Español", "â€™" for "’", "Â" + NBSP for NBSP):
 * text whose UTF-8 bytes were decoded as windows-1252/ISO-8859-1 and encoded again.
 *
 * Repair is sequence by sequence, never a blind re-decode of the whole text, so correct
 * characters next to broken ones survive. It is applied only when the evidence is consistent:
 * genuine Latin-1 prose ("SÃO PAULO", "JOÃO") has letters after "Ã", not UTF-8 continuation
 * bytes, and is left alone.
 */
import { byteOfLegacyChar, CP1252_SPECIALS_CLASS, utf8SequenceLength } from './bytes.js';

// A character that, read back as a byte, is a UTF-8 continuation byte (0x80–0xBF).
const CONT = `[\\u0080-\\u00BF${CP1252_SPECIALS_CLASS}]`;
const SEQUENCE = new RegExp(
  `[\\u00C2-\\u00DF]${CONT}|[\\u00E0-\\u00EF]${CONT}{2}|[\\u00F0-\\u00F4]${CONT}{3}`,
  'g',
);
// A lead byte followed by at least one continuation byte: what a broken sequence looks like.
const SUSPECT = new RegExp(`[\\u00C2-\\u00F4]${CONT}`, 'g');

const MAX_PASSES = 3;

export interface MojibakeRepair {
  text: string;
  /** Sequences replaced, over all passes. */
  sequences: number;
  /** 2 when the text had been encoded twice over (triple encoding), and so on. */
  passes: number;
}

function decodeSequence(seq: string): string | undefined {
  const bytes: number[] = [];
  for (const ch of seq) {
    const b = byteOfLegacyChar(ch);
    if (b < 0) return undefined;
    bytes.push(b);
  }
  if (utf8SequenceLength(bytes, 0) !== bytes.length) return undefined;
  return Buffer.from(bytes).toString('utf8');
}

function onePass(text: string): { text: string; sequences: number } | undefined {
  let valid = 0;
  let longest = 0;
  const repaired = text.replace(SEQUENCE, (seq) => {
    const ch = decodeSequence(seq);
    if (ch === undefined) return seq;
    valid++;
    longest = Math.max(longest, seq.length);
    return ch;
  });
  if (valid === 0) return undefined;
  // One lone two-character match ("Â·", "Ã©") is too weak to act on; one three- or
  // four-character match ("â€™") practically never occurs by accident.
  if (valid === 1 && longest < 3) return undefined;
  const suspectBefore = text.match(SUSPECT)?.length ?? 0;
  const brokenLeft = suspectBefore - valid;
  // Consistency: most lead+continuation pairs must be whole, valid sequences.
  if (brokenLeft * 4 > valid) return undefined;
  const suspectAfter = repaired.match(SUSPECT)?.length ?? 0;
  if (suspectAfter >= suspectBefore) return undefined;
  return { text: repaired, sequences: valid };
}

/** The repaired text, or undefined when there is nothing (or nothing certain) to repair. */
export function repairMojibake(text: string): MojibakeRepair | undefined {
  let current = text;
  let sequences = 0;
  let passes = 0;
  while (passes < MAX_PASSES) {
    const r = onePass(current);
    if (!r) break;
    current = r.text;
    sequences += r.sequences;
    passes++;
  }
  return passes ? { text: current, sequences, passes } : undefined;
}
