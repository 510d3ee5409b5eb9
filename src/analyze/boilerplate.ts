/**
 * Page furniture that extraction sometimes lets through: navigation, headers, footers,
 * cookie banners, and rotating blocks ("Related", "Latest news", social feeds). Changes
 * there are noise. Decided per paragraph, with rotating blocks found as zones: a feed
 * heading and the short items under it.
 */

const MAX_FURNITURE_WORDS = 16;

const NAV_EXACT = new RegExp(
  '^(?:skip to (?:main )?content|skip navigation|main (?:menu|navigation)|menu|search(?: this site)?|home|back to top|top of page|' +
    'print(?: this page)?|share(?: this page)?|e-?mail(?: this page)?|contact(?: us)?|about(?: us)?|site ?map|accessibility(?: statement)?|' +
    'privacy(?: policy| notice)?|cookies?(?: policy| settings| preferences)?|terms(?: of use| and conditions| & conditions)?|disclaimer|' +
    'foia|no fear act|usa\\.gov|inspector general|help|faqs?|feedback|careers|jobs|subscribe|sign ?up|log ?in|sign ?in|log ?out|' +
    'view all|view article|read more|learn more|more|next|previous|español|english|français|translate|languages?|' +
    'is this page useful\\??|yes|no|report a problem with this page|was this page helpful\\??|thank you for your feedback)$',
  'i',
);

const FURNITURE_PATTERNS: [RegExp, string][] = [
  [/©|\bcopyright\b|all rights reserved|open government licen[cs]e/i, 'footer'],
  [/^(?:page )?last (?:updated|modified|reviewed)\b|^(?:page )?(?:updated|reviewed|generated)(?: on)?:?\s+\S*\d/i, 'page metadata'],
  [/^(?:published|first published)(?: on)?:?\s+\S*\d/i, 'page metadata'],
  [/^home\s*(?:>|»|›|\/|\|)|(?:\s(?:>|»|›)\s.*){2,}/i, 'breadcrumb'],
  [/^(?=.*\bcookies?\b)(?=.*\b(?:accept|reject|settings|we use|this (?:site|website|service) uses|set (?:some )?(?:additional )?cookies|essential)\b)/i, 'cookie banner'],
  [/^this was published under the .* government$/i, 'history banner'],
  [/^(?:(?:facebook|twitter|x|linkedin|youtube|instagram|flickr|e-?mail|print|share|whatsapp|reddit|rss|pinterest|threads|bluesky|mastodon)[\s|,·•/]*)+$/i, 'social links'],
  [/^(?:tweets (?:by|from) @?\w+|follow (?:us|@\w+)\b.*|share (?:this|on)\b.*|retweet\b.*|@\w+ (?:tweeted|posted)\b.*)$/i, 'social feed'],
  [/\b(?:help us improve|there is something wrong with this page|sign up for (?:email )?(?:updates|alerts)|get emails about this page)\b/i, 'page furniture'],
];

/** Language menus: each language named in itself (and the English names menus also use). */
const LANGUAGES = new Set([
  'english', 'español', 'espanol', 'français', 'francais', 'deutsch', 'italiano', 'português', 'portugues', 'polski', 'nederlands',
  'русский', 'українська', 'ελληνικά', 'العربية', 'فارسی', 'اردو', 'עברית', 'हिन्दी', 'বাংলা', 'ਪੰਜਾਬੀ', '简体中文', '繁體中文', '中文',
  '日本語', '한국어', 'tiếng việt', 'ภาษาไทย', 'tagalog', 'kreyòl ayisyen', 'haitian creole', 'yiddish', 'cymraeg', 'gaeilge',
  'somali', 'soomaali', 'türkçe', 'română', 'svenska', 'dansk', 'norsk', 'suomi', 'magyar', 'čeština', 'hmoob', 'kiswahili',
  'spanish', 'french', 'chinese', 'vietnamese', 'korean', 'arabic', 'russian', 'portuguese', 'japanese', 'german', 'italian',
]);

const FEED_HEADING = new RegExp(
  '^(?:related(?: content| links| articles| stories| news| pages| publications| guidance| topics| items)?|explore the topic|' +
    'latest(?: news| updates| stories| articles| releases| posts)?|more (?:news|stories|articles)|(?:[\\p{L}]+ )?news(?: releases| and events| and updates| and media)?|' +
    'press releases|top stories|in the news|featured(?: stories| content| articles)?|most (?:popular|read|viewed)|trending(?: now)?|' +
    'recent (?:posts|news|updates|articles|stories|tweets)|what\'?s new|you (?:may|might) also (?:like|be interested in)|' +
    '(?:[\\p{L}]+ )?blog|follow us(?: on [\\p{L}]+)?|tweets(?: (?:by|from) @?\\w+)?|social media|updates to this page|upcoming events|events|highlights|spotlight)$',
  'iu',
);

/** A feed item longer than this is prose: the zone ends. */
const MAX_FEED_ITEM_WORDS = 40;
const MAX_FEED_ITEMS = 80;

function wordCount(s: string): number {
  return s.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

function headingText(p: string): string {
  return p.replace(/[:：]\s*$/, '').replace(/\s+view all$/i, '').trim();
}

/** Embedded social posts: a tweet's text with its pic.twitter.com link, or its "— Name (@handle) date" line. */
const EMBEDDED_POST = /\bpic\.twitter\.com\/\w+|^[—–-]\s*[^()]{1,80}\(@\w{1,30}\)\s+\w+\.? \d{1,2}, \d{4}$/;

/** Why a single paragraph is furniture, or undefined. */
export function furnitureReason(paragraph: string): string | undefined {
  const p = paragraph.trim();
  if (EMBEDDED_POST.test(p)) return 'embedded social post';
  if (p === '' || wordCount(p) > MAX_FURNITURE_WORDS) return undefined;
  if (NAV_EXACT.test(p.replace(/[.:!]$/, ''))) return 'navigation';
  if (p.split(/\s*[|/]\s*/).every((part) => LANGUAGES.has(part.toLowerCase()))) return 'language menu';
  for (const [re, why] of FURNITURE_PATTERNS) if (re.test(p)) return why;
  return undefined;
}

/**
 * Index → reason for every paragraph that is furniture or inside a rotating block.
 * A rotating block starts at a short feed heading ("Energy News", "Related content") and
 * runs over the short items below it until prose (a long paragraph) or the item limit.
 */
export function boilerplateMap(paragraphs: string[]): Map<number, string> {
  const out = new Map<number, string>();
  for (let i = 0; i < paragraphs.length; i++) {
    const p = paragraphs[i];
    const heading = headingText(p);
    if (wordCount(heading) <= 5 && FEED_HEADING.test(heading)) {
      const why = `rotating block "${heading}"`;
      out.set(i, why);
      let j = i + 1;
      for (; j < paragraphs.length && j - i <= MAX_FEED_ITEMS; j++) {
        if (wordCount(paragraphs[j]) > MAX_FEED_ITEM_WORDS) break;
        out.set(j, why);
      }
      i = j - 1;
      continue;
    }
    const why = furnitureReason(p);
    if (why) out.set(i, why);
  }
  // An edited item inside a menu ("Portugues" between "Polski" and "Русский") is still menu.
  for (let i = 1; i < paragraphs.length - 1; i++) {
    const prev = out.get(i - 1);
    if (!out.has(i) && prev && prev === out.get(i + 1) && wordCount(paragraphs[i]) <= 3) out.set(i, prev);
  }
  return out;
}
