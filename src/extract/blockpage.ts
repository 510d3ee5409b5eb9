/**
 * Tells a bot wall, challenge or soft 404 from a statement. These answer "200 OK" often enough
 * (Federal Register redirects crawlers to unblock.federalregister.gov and serves "Request Access"
 * with 200) that the status alone cannot be trusted; archiving one as a version would report
 * the statement as rewritten, then rewritten back.
 */
import type { BlockPageContext, BlockPageVerdict, Extracted } from './types.js';

// Titles of challenge/denial pages from CDNs and WAFs (Cloudflare, Akamai, Imperva, F5, DataDome …).
const CHALLENGE_TITLE =
  /^(?:just a moment\.*|attention required!?(?: \| cloudflare)?|checking your browser.*|please wait\.*|ddos-guard|pardon our interruption\.*|are you a (?:robot|human)\??|human verification|security check(?:point)?|captcha|bot verification|verify(?:ing)? you are human.*|one more step)$/i;
const DENIED_TITLE = /^(?:access denied|403 forbidden|forbidden|request rejected|access to this page has been denied\.?|blocked|you have been blocked)$/i;
const ACCESS_TITLE = /\brequest access\b|\baccess request\b/i;
const CHALLENGE_TEXT =
  /checking (?:if the site connection is secure|your browser before accessing)|enable javascript and cookies to continue|verify (?:that )?you are (?:a )?human|sorry, you have been blocked|why have i been blocked\?|request unsuccessful\. incapsula incident id|the requested url was rejected\. please consult with your administrator|access to this page has been denied|you don't have permission to access .{0,200} on this server\.?\s*reference\s*#|please complete the security check to access/i;
const SOFT_404 =
  /^\s*404\b|\b404\s*(?:error\b|[-–—:|]?\s*(?:page\s+)?not\s+found)|\berror\s*404\b|\bpage\s+not\s+found\b|\bpage (?:you (?:requested|are looking for|were looking for) )?(?:cannot|can't|can not|could not|couldn't) be found\b|\bthis page (?:does not|doesn't) exist\b|\bpage (?:is )?no longer available\b/i;
const BLOCK_URL = /(?:^|\/\/)(?:unblock|captcha|challenge|validate\.perfdrive)\.|\/(?:__cf_chl_|cdn-cgi\/challenge-platform|distil_r_captcha|captcha|blocked)(?:[/?.#_]|$)/i;

// Block and error pages are short; a real statement that mentions "404" is not.
const SHORT_PAGE = 2000;

const WAF_SERVERS: [RegExp, string][] = [
  [/cloudflare/i, 'Cloudflare'],
  [/akamai/i, 'Akamai'],
  [/awselb|cloudfront/i, 'AWS'],
  [/ddos-guard/i, 'DDoS-Guard'],
  [/sucuri/i, 'Sucuri'],
];

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = String(v);
  return out;
}

function wafName(h: Record<string, string>): string | undefined {
  if (h['x-iinfo'] || h['x-cdn'] === 'Incapsula') return 'Imperva';
  if (h['x-datadome'] || h['x-dd-b']) return 'DataDome';
  if (h['x-amzn-waf-action']) return 'AWS WAF';
  const server = h.server ?? '';
  return WAF_SERVERS.find(([re]) => re.test(server))?.[1];
}

export function detectBlockPage(extracted: Extracted, ctx: BlockPageContext): BlockPageVerdict {
  const h = lowerKeys(ctx.headers);
  const title = (extracted.title ?? '').replace(/\s+/g, ' ').trim();
  const text = extracted.text;
  const short = text.length < SHORT_PAGE;
  const status = ctx.status;

  const mitigated = h['cf-mitigated'];
  if (mitigated) {
    return { blocked: true, kind: 'challenge', reason: `Cloudflare ${mitigated} (cf-mitigated header, HTTP ${status}, title "${title}"): the crawler was challenged, not served the page` };
  }
  if (BLOCK_URL.test(ctx.finalUrl)) {
    return { blocked: true, kind: 'access-request', reason: `redirected to ${ctx.finalUrl} (HTTP ${status}, title "${title}"): a bot wall, not the statement` };
  }
  const titleCore = title.split(/\s+(?:::|\||[-–—])\s+/).map((t) => t.trim());
  if (titleCore.some((t) => CHALLENGE_TITLE.test(t)) && (short || status >= 400)) {
    return { blocked: true, kind: 'challenge', reason: `challenge page (title "${title}", HTTP ${status}): the crawler was not served the page` };
  }
  if (ACCESS_TITLE.test(title) && (short || status >= 400)) {
    return { blocked: true, kind: 'access-request', reason: `"Request Access" page (title "${title}", HTTP ${status}): the site blocked the crawler` };
  }
  if (titleCore.some((t) => DENIED_TITLE.test(t)) && (short || status >= 400)) {
    return { blocked: true, kind: 'challenge', reason: `access denied page (title "${title}", HTTP ${status})` };
  }
  if (short && CHALLENGE_TEXT.test(text)) {
    const m = CHALLENGE_TEXT.exec(text)![0];
    return { blocked: true, kind: 'challenge', reason: `bot wall text "${m.slice(0, 80)}" on a short page (HTTP ${status})` };
  }
  const waf = wafName(h);
  if (waf && (status === 401 || status === 403 || status === 429 || status === 503) && short) {
    return { blocked: true, kind: 'challenge', reason: `HTTP ${status} from ${waf} on a short page: the crawler was blocked` };
  }
  if (status >= 200 && status < 300 && short) {
    const h1 = extracted.paragraphs[0] ?? '';
    if (SOFT_404.test(title) || SOFT_404.test(h1) || SOFT_404.test(text.slice(0, 500))) {
      return { blocked: true, kind: 'soft-404', reason: `"not found" page served with HTTP ${status} (title "${title}"): treating as a failed check, not a removal or a new version` };
    }
  }
  return { blocked: false };
}
