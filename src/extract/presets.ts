/**
 * Built-in knowledge of sites that publish many statements, chosen by URL host. A preset says
 * where the statement body is, what boilerplate inside it to drop, and where the page states
 * its own publication and update dates. A source's own `select` replaces the preset's body
 * selectors; its `remove` adds to the preset's removals (so a user selector never brings the
 * GOV.UK history banner back by accident).
 */
import type { CheerioAPI } from 'cheerio';
import type { DeclaredDates } from './types.js';
import { machineDate, parseHumanDate } from './dates.js';

export interface SitePreset {
  name: string;
  hosts: string[];
  /** Body selectors: the first that matches wins (all its matches, in document order). */
  select: string[];
  remove: string[];
  /** Where the statement's title is, before the generic <h1>/<title> rule. */
  title: string[];
  dates: ($: CheerioAPI) => DeclaredDates;
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

function govukDates($: CheerioAPI): DeclaredDates {
  const out: DeclaredDates = {};
  // The metadata block: <dt>Published</dt><dd>4 October 2019</dd>, <dt>Last updated</dt>…
  $('.gem-c-metadata dt').each((_, dt) => {
    const term = squash($(dt).text()).replace(/:$/, '').toLowerCase();
    const value = parseHumanDate($(dt).nextAll('dd').first().text());
    if (!value) return;
    if (term === 'published' && !out.published) out.published = value;
    if ((term === 'last updated' || term === 'updated') && !out.modified) out.modified = value;
  });
  // The update history at the foot of the page says the same in prose, plus the change notes.
  const history = $('.gem-c-published-dates').first();
  if (history.length) {
    const text = squash(history.clone().children('.gem-c-published-dates__change-history, ol, ul, a').remove().end().text());
    const published = /Published\s+(.+?\d{4})/i.exec(text)?.[1];
    const updated = /(?:Last\s+)?updated\s+(.+?\d{4})/i.exec(text)?.[1];
    if (published && !out.published) out.published = parseHumanDate(published) ?? published;
    if (updated && !out.modified) out.modified = parseHumanDate(updated) ?? updated;
  }
  const notes: { date: string; note: string }[] = [];
  $('li.gem-c-published-dates__change-item').each((_, li) => {
    const time = $(li).find('time').first();
    const date = machineDate(time.attr('datetime')) ?? parseHumanDate(time.text()) ?? squash(time.text());
    const noteEl = $(li).find('.gem-c-published-dates__change-note').first();
    const note = squash(noteEl.length ? noteEl.text() : $(li).clone().find('time').remove().end().text());
    if (date || note) notes.push({ date, note });
  });
  if (notes.length) out.changeNotes = notes;
  return out;
}

function justiceDates($: CheerioAPI): DeclaredDates {
  const out: DeclaredDates = {};
  // Since 2023: <div class="field_date"><time datetime="…">October 11, 2020</time></div>.
  const field = $('div.field_date').first();
  const legacy = $('span.date-display-single').first();
  const fromField = machineDate(field.find('time').attr('datetime')) ?? parseHumanDate(field.text());
  // Before 2023 (Drupal 7): <span class="date-display-single" content="2020-10-11T00:00:00-04:00">.
  const fromLegacy = machineDate(legacy.attr('content')) ?? parseHumanDate(legacy.text());
  const published = fromField ?? fromLegacy;
  if (published) out.published = published;
  const updated = /\bUpdated\s+([A-Z][a-z]+\.? \d{1,2}, \d{4})/.exec(squash($('.node-updated-date, .field_updated').text()));
  const modified = updated ? parseHumanDate(updated[1]!) : undefined;
  if (modified) out.modified = modified;
  return out;
}

export const PRESETS: SitePreset[] = [
  {
    name: 'gov.uk',
    hosts: ['www.gov.uk', 'gov.uk'],
    // The lead paragraph and the attachment list are part of what a publication page says;
    // `.govuk-govspeak` is the retired name of `.gem-c-govspeak`, still on archived captures.
    select: ['.gem-c-lead-paragraph, .gem-c-attachment, .gem-c-govspeak, .govuk-govspeak'],
    remove: [
      '.gem-c-notice',
      '.gem-c-attachment__thumbnail',
      '.gem-c-attachment__metadata',
      '.gem-c-attachment .govuk-details',
      '.gem-c-attachment .gem-c-details',
      '.gem-c-metadata',
      '.gem-c-published-dates',
      '.gem-c-print-link',
      '.gem-c-share-links',
      '.gem-c-single-page-notification-button',
      '.gem-c-contextual-sidebar',
      '.gem-c-related-navigation',
      '.gem-c-contents-list',
      '.govuk-breadcrumbs',
      '.gem-c-cookie-banner',
    ],
    title: ['main h1', 'h1.gem-c-heading__text', 'h1'],
    dates: govukDates,
  },
  {
    name: 'justice.gov',
    hosts: ['www.justice.gov', 'justice.gov'],
    select: ['div.field_body', 'div.field--name-field-pr-body, div.field-name-field-pr-body'],
    remove: ['.field_component', '.field_prnumber', '.field_topic', '.node-updated-date'],
    title: ['h1#node-title', 'h1.page-title', 'h1'],
    dates: justiceDates,
  },
];

export function presetFor(url?: string): SitePreset | undefined {
  if (!url) return undefined;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  return PRESETS.find((p) => p.hosts.includes(host));
}
