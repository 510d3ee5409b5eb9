/**
 * The labelled evaluation set for `alert`: realistic edits of the real statement fixtures
 * and the two real EDGI page pairs. Each case: the fixture (the older text), the edits that
 * make the newer text, the expected alert verdict and the rule expected among the reasons
 * (for non-alerts, the noise rule that should explain the change; null = no reason at all).
 * Labels follow the definition of "wording that matters" and "noise".
 */
import type { ExtractedLink } from '../../../src/extract/types.js';
import type { PageDeclarations } from '../../../src/analyze/types.js';
import type { FixtureName } from '../fixtures.js';

export interface Edit {
  find: string;
  replace: string;
  /** Replace every occurrence (default: the first; the find must occur). */
  all?: boolean;
}

export interface EvalCase {
  id: string;
  fixture: FixtureName;
  /** A real later version instead of edits. */
  afterFixture?: FixtureName;
  /** Page furniture around the statement in both versions (paragraphs). */
  top?: string[];
  bottom?: string[];
  edits: Edit[];
  captureDate?: string;
  links?: { before: ExtractedLink[]; after: ExtractedLink[] };
  declarations?: { prev: PageDeclarations; cur: PageDeclarations };
  alert: boolean;
  rule: string | string[] | null;
}

const e = (find: string, replace: string, all = false): Edit => ({ find, replace, all });

const GOVUK_TOP = ['Skip to main content', 'Cookies on GOV.UK', 'Home > Crime, justice and law > Policing'];
const GOVUK_BOTTOM = ['Is this page useful?', 'Help us improve GOV.UK', '© Crown copyright'];
const LETTER_LINKS: ExtractedLink[] = [
  { text: 'joint statement of principles', href: 'https://www.ag.gov.au/About/CommitteesandCouncils/Documents/joint-statement-principles-access-evidence.pdf' },
  { text: 'communique', href: 'https://www.gov.uk/government/publications/five-country-ministerial-communique' },
];
const DECLARED = { published: '2019-10-04T00:00:00+01:00', modified: '2019-12-23T10:00:00+00:00', changeNotes: [{ date: '2019-12-23', note: 'Added HTML version of the letter.' }] };

export const CASES: EvalCase[] = [
  // ---- The 2019 open letter (PDF text) ----
  { id: 'letter must→should', fixture: 'letter', edits: [e('we must ensure that technology companies protect', 'we should ensure that technology companies protect')], alert: true, rule: 'modality' },
  { id: 'letter must not→should not', fixture: 'letter', edits: [e('must not be the ultimate cost', 'should not be the ultimate cost')], alert: true, rule: 'modality' },
  { id: 'letter should not→must not', fixture: 'letter', edits: [e('Companies should not deliberately design', 'Companies must not deliberately design')], alert: true, rule: 'modality' },
  { id: 'letter will→may', fixture: 'letter', edits: [e('We will take an open and balanced approach', 'We may take an open and balanced approach')], alert: true, rule: 'modality' },
  { id: 'letter "Not implement" dropped', fixture: 'letter', edits: [e('• Not implement the proposed changes until', '• Implement the proposed changes once')], alert: true, rule: 'negation' },
  { id: 'letter "no reduction" dropped', fixture: 'letter', edits: [e('effectively with no reduction to safety', 'effectively with minimal reduction to safety')], alert: true, rule: 'negation' },
  { id: 'letter "does not proceed" dropped', fixture: 'letter', edits: [e('request that Facebook does not proceed with its plan', 'request that Facebook proceeds carefully with its plan')], alert: true, rule: 'negation' },
  { id: 'letter negation added', fixture: 'letter', edits: [e('We also respect promises made by technology companies', 'We do not respect promises made by technology companies')], alert: true, rule: 'negation' },
  { id: 'letter "under appropriate legal authorisation" removed', fixture: 'letter', edits: [e('content of communications, under appropriate legal authorisation, to save lives', 'content of communications to save lives')], alert: true, rule: 'qualification' },
  { id: 'letter "lawful" removed', fixture: 'letter', edits: [e('Enable law enforcement to obtain lawful access to content', 'Enable law enforcement to obtain access to content')], alert: true, rule: 'qualification' },
  { id: 'letter qualification added', fixture: 'letter', edits: [e('Enable law enforcement to obtain lawful access', 'Enable law enforcement, where necessary and proportionate, to obtain lawful access')], alert: true, rule: 'qualification' },
  { id: 'letter 16.8 million → 18.6 million', fixture: 'letter', edits: [e('made 16.8 million reports', 'made 18.6 million reports')], alert: true, rule: 'numbers' },
  { id: 'letter 90% → 80%', fixture: 'letter', edits: [e('more than 90% of the 18.4 million', 'more than 80% of the 18.4 million')], alert: true, rule: 'numbers' },
  { id: 'letter 18 years → 16 years', fixture: 'letter', edits: [e('sentenced to 18 years in prison', 'sentenced to 16 years in prison')], alert: true, rule: 'numbers' },
  { id: 'letter August 2018 → July 2018', fixture: 'letter', edits: [e('and Canada in August 2018', 'and Canada in July 2018')], alert: true, rule: 'numbers' },
  { id: 'letter 70% → 60%', fixture: 'letter', edits: [e('estimates that 70% of Facebook', 'estimates that 60% of Facebook')], alert: true, rule: 'numbers' },
  { id: 'letter billions → millions', fixture: 'letter', edits: [e('used by billions of people', 'used by millions of people')], alert: true, rule: 'numbers' },
  { id: 'letter signatory Japan added', fixture: 'letter', edits: [e('New Zealand, and Canada in August 2018', 'New Zealand, Canada and Japan in August 2018')], alert: true, rule: 'parties' },
  { id: 'letter New Zealand dropped', fixture: 'letter', edits: [e('the US, UK, Australia, New Zealand, and Canada', 'the US, UK, Australia, and Canada')], alert: true, rule: 'parties' },
  { id: 'letter agency named', fixture: 'letter', edits: [e('arrests by UK law enforcement', 'arrests by the National Crime Agency and UK police forces')], alert: true, rule: 'parties' },
  { id: 'letter sentence added', fixture: 'letter', edits: [e('We welcome this commitment to consultation.', 'We welcome this commitment to consultation. We expect to see it reflected in your plans.')], alert: true, rule: 'sentence' },
  { id: 'letter sentence removed', fixture: 'letter', edits: [e(' We welcome this commitment to consultation.', '')], alert: true, rule: 'sentence' },
  { id: 'letter paragraph added', fixture: 'letter', edits: [e('Yours sincerely,', 'We will publish this letter and any response we receive.\n\nYours sincerely,')], alert: true, rule: 'sentence' },
  { id: 'letter strong encryption → robust encryption', fixture: 'letter', edits: [e('We support strong encryption', 'We support robust encryption')], alert: true, rule: 'watch-terms' },
  { id: 'letter end-to-end dropped', fixture: 'letter', edits: [e('its plan to implement end-to-end encryption across', 'its plan to implement encryption across')], alert: true, rule: 'watch-terms' },
  { id: 'letter legitimate → reasonable', fixture: 'letter', edits: [e('have a legitimate expectation', 'have a reasonable expectation')], alert: true, rule: 'wording' },
  { id: 'letter remarkable → striking', fixture: 'letter', edits: [e('While these statistics are remarkable', 'While these statistics are striking')], alert: true, rule: 'wording' },
  { id: 'letter curly → straight double quotes', fixture: 'letter', edits: [e('“', '"', true), e('”', '"', true)], alert: false, rule: 'cosmetic' },
  { id: 'letter curly → straight apostrophes', fixture: 'letter', edits: [e('’', "'", true)], alert: false, rule: 'cosmetic' },
  { id: 'letter en dash → hyphen', fixture: 'letter', edits: [e(' – ', ' - ', true)], alert: false, rule: 'cosmetic' },
  { id: 'letter heading case', fixture: 'letter', edits: [e('OPEN LETTER: FACEBOOK’S “PRIVACY FIRST” PROPOSALS', 'Open letter: Facebook’s “Privacy first” proposals')], alert: false, rule: 'cosmetic' },
  { id: 'letter ellipsis style', fixture: 'letter', bottom: ['Further correspondence will follow…'], edits: [e('follow…', 'follow...')], alert: false, rule: 'cosmetic' },
  { id: 'letter reflow', fixture: 'letter', edits: [e(' the public, ', '\nthe public,\n', true), e(' our ', '\n our ', true)], alert: false, rule: null },
  { id: 'letter double spaces', fixture: 'letter', edits: [e('. ', '.  ', true)], alert: false, rule: null },
  { id: 'letter recognized → recognised', fixture: 'letter', edits: [e('March blog post recognized', 'March blog post recognised')], alert: false, rule: 'wording' },
  { id: 'letter serial comma dropped', fixture: 'letter', edits: [e('banking, commerce, and communications', 'banking, commerce and communications')], alert: false, rule: 'wording' },
  { id: 'letter copyright year', fixture: 'letter', bottom: GOVUK_BOTTOM, edits: [e('© Crown copyright', '© Crown copyright 2020')], alert: false, rule: 'boilerplate' },
  { id: 'letter header date = capture date', fixture: 'letter', top: ['Friday 4 October 2019'], edits: [e('Friday 4 October 2019', 'Saturday 5 October 2019')], captureDate: '2019-10-05T08:00:00Z', alert: false, rule: 'capture-date' },
  { id: 'letter view counter', fixture: 'letter', bottom: ['This page has been viewed 1,204 times'], edits: [e('viewed 1,204 times', 'viewed 1,317 times')], alert: false, rule: 'counter' },
  { id: 'letter breadcrumb', fixture: 'letter', top: GOVUK_TOP, edits: [e('Home > Crime, justice and law > Policing', 'Home > Crime, justice and law > Counter-terrorism')], alert: false, rule: 'boilerplate' },
  { id: 'letter cookie banner', fixture: 'letter', top: ['We use some essential cookies to make this website work.'], edits: [e('make this website work', 'make this service work')], alert: false, rule: 'boilerplate' },
  { id: 'letter history banner added', fixture: 'letter', edits: [e('Mark Zuckerberg', 'This was published under the 2019 to 2022 Johnson Conservative government\n\nMark Zuckerberg')], alert: false, rule: 'boilerplate' },
  { id: 'letter document link added', fixture: 'letter', links: { before: LETTER_LINKS, after: [...LETTER_LINKS, { text: 'Annex A: proposed safety measures (PDF)', href: 'https://assets.publishing.service.gov.uk/media/5d9/annex-a-safety-measures.pdf' }] }, edits: [], alert: true, rule: 'links' },
  { id: 'letter document link removed', fixture: 'letter', links: { before: LETTER_LINKS, after: LETTER_LINKS.slice(1) }, edits: [], alert: true, rule: 'links' },
  { id: 'letter link tracking parameter', fixture: 'letter', links: { before: LETTER_LINKS, after: LETTER_LINKS.map((l) => ({ ...l, href: `${l.href}?utm_source=newsletter&utm_medium=email` })) }, edits: [], alert: false, rule: 'links' },
  { id: 'letter non-document link added', fixture: 'letter', links: { before: LETTER_LINKS, after: [...LETTER_LINKS, { text: 'Home Office', href: 'https://www.gov.uk/government/organisations/home-office' }] }, edits: [], alert: false, rule: 'links' },
  { id: 'letter silent spelling fix', fixture: 'letter', edits: [e('March blog post recognized', 'March blog post recognised')], declarations: { prev: { declared: DECLARED }, cur: { declared: DECLARED } }, alert: true, rule: 'silent-edit' },
  { id: 'letter declared update, no text change', fixture: 'letter', edits: [], declarations: { prev: { declared: DECLARED }, cur: { declared: { ...DECLARED, modified: '2020-01-10T09:00:00+00:00', changeNotes: [...DECLARED.changeNotes, { date: '2020-01-10', note: 'Added Welsh translation.' }] } } }, alert: true, rule: 'silent-edit' },
  { id: 'letter quotes restyled, declared update', fixture: 'letter', edits: [e('“', '"', true), e('”', '"', true)], declarations: { prev: { declared: DECLARED }, cur: { declared: DECLARED } }, alert: false, rule: 'cosmetic' },

  // ---- GOV.UK HTML version of the letter ----
  { id: 'letter-html quote style', fixture: 'letterHtml', edits: [e('‘A Privacy-Focused Vision for Social Networking’,', '“A Privacy-Focused Vision for Social Networking,”')], alert: false, rule: 'cosmetic' },
  { id: 'letter-html updated date header', fixture: 'letterHtml', edits: [e('Updated 23 December 2019', 'Updated 10 January 2020')], alert: false, rule: 'boilerplate' },
  { id: 'letter-html "no reduction" dropped', fixture: 'letterHtml', edits: [e('ensuring that there is no reduction to user safety', 'ensuring that there is little reduction to user safety')], alert: true, rule: 'negation' },

  // ---- 2020 international statement (Public Safety Canada copy) ----
  { id: 'e2ee "do not support" dropped', fixture: 'e2ee', edits: [e('we do not support counter-productive', 'we support counter-productive')], alert: true, rule: 'negation' },
  { id: 'e2ee "materially" dropped', fixture: 'e2ee', edits: [e('would materially weaken or limit', 'would weaken or limit')], alert: true, rule: 'qualification' },
  { id: 'e2ee "wholly … legal" dropped', fixture: 'e2ee', edits: [e('in a way that wholly precludes any legal access', 'in a way that precludes access')], alert: true, rule: 'qualification' },
  { id: 'e2ee one in three → one in five', fixture: 'e2ee', edits: [e('one in three internet users', 'one in five internet users')], alert: true, rule: 'numbers' },
  { id: 'e2ee 98 → 99 countries', fixture: 'e2ee', edits: [e('a coalition of 98 countries', 'a coalition of 99 countries')], alert: true, rule: 'numbers' },
  { id: 'e2ee urge → invite', fixture: 'e2ee', edits: [e('We urge industry to address', 'We invite industry to address')], alert: true, rule: 'watch-terms' },
  { id: 'e2ee sentence removed', fixture: 'e2ee', edits: [e(' Encryption is an existential anchor of trust in the digital world and we do not support counter-productive and dangerous approaches that would materially weaken or limit security systems.', '')], alert: true, rule: 'sentence' },
  { id: 'e2ee heading case', fixture: 'e2ee', edits: [e('International Statement: End-To-End Encryption And Public Safety', 'International statement: end-to-end encryption and public safety')], alert: false, rule: 'cosmetic' },
  { id: 'e2ee en dash → em dash', fixture: 'e2ee', edits: [e(' – ', ' — ', true)], alert: false, rule: 'cosmetic' },
  { id: 'e2ee footnote marker', fixture: 'e2ee', edits: [e('Human Rights Council Footnote1.', 'Human Rights Council.')], alert: false, rule: 'markup' },
  { id: 'e2ee heading added', fixture: 'e2ee', edits: [e('Concern about these risks', 'Risks to children\n\nConcern about these risks')], alert: false, rule: 'sentence' },

  // ---- GOV.UK landing page of the 2020 statement ----
  { id: 'e2ee-page signatory Jordan removed', fixture: 'e2eePage', edits: [e('\n\n• Jordan', '')], alert: true, rule: 'parties' },
  { id: 'e2ee-page signatory added', fixture: 'e2eePage', edits: [e('• Jordan', '• Jordan\n\n• the Republic of Korea')], alert: true, rule: 'parties' },
  { id: 'e2ee-page signatory replaced', fixture: 'e2eePage', edits: [e('• Georgia', '• Germany')], alert: true, rule: 'parties' },
  { id: 'e2ee-page "not implemented" dropped', fixture: 'e2eePage', edits: [e('end-to-end encryption is not implemented in a way', 'end-to-end encryption is implemented in a way')], alert: true, rule: 'negation' },
  { id: 'e2ee-page summary reworded', fixture: 'e2eePage', edits: [e('to find solutions to ensure the safety', 'to find technical solutions to ensure the safety')], alert: true, rule: 'wording' },
  { id: 'e2ee-page last updated date', fixture: 'e2eePage', edits: [e('Last updated 16 January 2023', 'Last updated 20 January 2023')], alert: false, rule: 'boilerplate' },
  { id: 'e2ee-page bullet style', fixture: 'e2eePage', edits: [e('• ', '· ', true)], alert: false, rule: 'list-numbering' },

  // ---- Five Country Ministerial 2018 ----
  { id: 'fcm2018 Canada dropped', fixture: 'fcm2018', edits: [e('Ministers of Australia, Canada, New Zealand', 'Ministers of Australia, New Zealand')], alert: true, rule: 'parties' },
  { id: 'fcm2018 dates', fixture: 'fcm2018', edits: [e('on August 28-29 2018', 'on August 28-30 2018')], alert: true, rule: 'numbers' },
  { id: 'fcm2018 fundamental → important', fixture: 'fcm2018', edits: [e('remains fundamental to the security', 'remains important to the security')], alert: true, rule: 'wording' },
  { id: 'fcm2018 apostrophe style', fixture: 'fcm2018', edits: [e('This year’s FCM', "This year's FCM")], alert: false, rule: 'cosmetic' },
  {
    id: 'fcm2018 related block rotated', fixture: 'fcm2018',
    bottom: ['Related articles', 'Five Eyes ministers meet in London', 'Home Affairs statement on border security', 'Joint statement on countering foreign interference'],
    edits: [e('Five Eyes ministers meet in London\n\n', ''), e('Joint statement on countering foreign interference', 'Joint statement on countering foreign interference\n\nMinisters agree new online safety measures')],
    alert: false, rule: 'boilerplate',
  },

  // ---- Five Country Ministerial 2019 ----
  { id: 'fcm2019 18 million → 17 million', fixture: 'fcm2019', edits: [e('to over 18 million in 2018', 'to over 17 million in 2018')], alert: true, rule: 'numbers' },
  { id: 'fcm2019 must → should', fixture: 'fcm2019', edits: [e('much more must be done at pace', 'much more should be done at pace')], alert: true, rule: 'modality' },
  { id: 'fcm2019 "This must stop." removed', fixture: 'fcm2019', edits: [e(' This must stop.', '')], alert: true, rule: 'sentence' },
  { id: 'fcm2019 "no safe space" dropped', fixture: 'fcm2019', edits: [e('and that there is no safe space online', 'and that there is less safe space online')], alert: true, rule: 'negation' },
  { id: 'fcm2019 company added', fixture: 'fcm2019', edits: [e('Roblox, Snap and Twitter', 'Roblox, Snap, TikTok and Twitter')], alert: true, rule: 'wording' },
  { id: 'fcm2019 renumbered', fixture: 'fcm2019', edits: [e('2. All participants agreed', '3. All participants agreed')], alert: false, rule: 'list-numbering' },

  // ---- Joint meeting of FCM and Quintet ----
  { id: 'quintet must not → should not', fixture: 'quintet', edits: [e('The internet must not be a safe haven', 'The internet should not be a safe haven')], alert: true, rule: 'modality' },
  { id: 'quintet "consistent with … law" dropped', fixture: 'quintet', edits: [e('in a manner consistent with national and international law, including', 'in a manner including')], alert: true, rule: 'qualification' },
  { id: 'quintet encryption dropped from agenda', fixture: 'quintet', edits: [e('foreign terrorist fighters, and encryption.', 'and foreign terrorist fighters.')], alert: true, rule: 'watch-terms' },
  { id: 'quintet hyphen style', fixture: 'quintet', edits: [e('Quintet of Attorneys-General', 'Quintet of Attorneys General')], alert: false, rule: 'cosmetic' },

  // ---- Harder cases, written after the first run, to probe the rules' edges ----
  { id: 'letter lawful access → exceptional access', fixture: 'letter', edits: [e('a means for lawful access to the content', 'a means for exceptional access to the content')], alert: true, rule: ['watch-terms', 'qualification'] },
  { id: 'letter some of us → all of us', fixture: 'letter', edits: [e('and some of us have written to you', 'and all of us have written to you')], alert: true, rule: 'wording' },
  { id: 'letter must find → must try to find', fixture: 'letter', edits: [e('We must find a way to balance', 'We must try to find a way to balance')], alert: true, rule: 'wording' },
  { id: 'letter four years → five years', fixture: 'letter', edits: [e('over the course of four years', 'over the course of five years')], alert: true, rule: 'numbers' },
  { id: 'letter age 11 → 12', fixture: 'letter', edits: [e('starting when she was 11.', 'starting when she was 12.')], alert: true, rule: 'numbers' },
  { id: 'letter date line changed', fixture: 'letter', edits: [e('94025\n\n4 October 2019', '94025\n\n3 October 2019')], alert: true, rule: 'numbers' },
  { id: 'letter signatory replaced', fixture: 'letter', edits: [e('William P. Barr\n\nUnited States Attorney General', 'Jeffrey A. Rosen\n\nActing United States Attorney General')], alert: true, rule: ['wording', 'parties', 'sentence'] },
  { id: 'e2ee UNICEF → UNESCO', fixture: 'e2ee', edits: [e('UNICEF estimates that', 'UNESCO estimates that')], alert: true, rule: ['parties', 'wording'] },
  { id: 'e2ee "do not" → "don\'t"', fixture: 'e2ee', edits: [e('we do not support counter-productive', "we don't support counter-productive")], alert: false, rule: 'wording' },
  { id: 'fcm2018 country names abbreviated', fixture: 'fcm2018', edits: [e('the United Kingdom, and the United States met', 'the UK, and the US met')], alert: false, rule: 'wording' },
  { id: 'letter paragraphs swapped', fixture: 'letter', edits: [e('As you have recognised, it is critical to get this right for the future of the internet. Children’s safety and law enforcement’s ability to bring criminals to justice must not be the ultimate cost of Facebook taking forward these proposals.\n\n', ''), e('We therefore call on Facebook', 'As you have recognised, it is critical to get this right for the future of the internet. Children’s safety and law enforcement’s ability to bring criminals to justice must not be the ultimate cost of Facebook taking forward these proposals.\n\nWe therefore call on Facebook')], alert: false, rule: 'moved' },
  { id: 'letter page reviewed date', fixture: 'letter', bottom: ['Page last reviewed: 4 October 2019'], edits: [e('reviewed: 4 October 2019', 'reviewed: 12 October 2019')], captureDate: '2019-10-12T06:00:00Z', alert: false, rule: ['capture-date', 'boilerplate'] },
  { id: 'letter share row', fixture: 'letter', bottom: ['Share this page', 'Facebook Twitter'], edits: [e('Facebook Twitter', 'Facebook Twitter LinkedIn')], alert: false, rule: 'boilerplate' },
  { id: 'letter related block with watch term', fixture: 'letter', bottom: ['Related content', 'Encryption and lawful access: evaluating benefits and risks', 'Five Country Ministerial 2019: joint communiqué'], edits: [e('Encryption and lawful access: evaluating benefits and risks', 'Online harms white paper: initial consultation response')], alert: false, rule: 'boilerplate' },
  { id: 'DOE "View Article" links dropped', fixture: 'doeA', edits: [e('September 22, 2017\n\nView Article', 'September 22, 2017')], alert: false, rule: 'boilerplate' },
  { id: 'FEMA language menu edited', fixture: 'femaStripA', edits: [e('Português', 'Portugues')], alert: false, rule: 'boilerplate' },

  // ---- Held-out batch: written after the rules were last changed, run once, labels not revisited ----
  { id: 'e2ee qualification appended', fixture: 'e2ee', edits: [e('support strong encryption, which plays', 'support strong encryption, provided that it does not prevent lawful access, which plays')], alert: true, rule: ['qualification', 'watch-terms'] },
  { id: 'e2ee call on → require', fixture: 'e2ee', edits: [e('We call on technology companies to work with governments', 'We require technology companies to work with governments')], alert: true, rule: 'wording' },
  { id: 'fcm2018 venue changed', fixture: 'fcm2018', edits: [e('met on the Gold Coast, Australia', 'met in Canberra, Australia')], alert: true, rule: 'wording' },
  { id: 'fcm2018 acronym definition dropped', fixture: 'fcm2018', edits: [e('The 2018 Five Country Ministerial (FCM), which', 'The 2018 Five Country Ministerial, which')], alert: false, rule: 'wording' },
  { id: 'quintet commit to → will', fixture: 'quintet', edits: [e('we commit to support more effective prevention', 'we will support more effective prevention')], alert: true, rule: ['modality', 'wording'] },
  { id: 'letter confident → believe', fixture: 'letter', edits: [e('Our technical experts are confident that we can do so', 'Our technical experts believe that we can do so')], alert: true, rule: 'wording' },
  { id: 'letter salutation', fixture: 'letter', edits: [e('Dear Mr. Zuckerberg,', 'Dear Mark,')], alert: false, rule: 'wording' },
  { id: 'letter last-updated time', fixture: 'letter', bottom: ['Last updated: 5 October 2019 at 10:32am'], edits: [e('at 10:32am', 'at 11:05am')], alert: false, rule: 'boilerplate' },
  { id: 'letter printed-on date', fixture: 'letter', bottom: ['Printed from GOV.UK on 5 October 2019'], edits: [e('on 5 October 2019', 'on 6 October 2019')], captureDate: '2019-10-06T05:00:00Z', alert: false, rule: ['capture-date', 'boilerplate'] },
  { id: 'e2ee link decoration added', fixture: 'e2ee', edits: [e('Human Rights Council Footnote1.', 'Human Rights Council (opens in new window) Footnote1.')], alert: false, rule: 'markup' },
  { id: 'fcm2019 company dropped', fixture: 'fcm2019', edits: [e('Facebook, Google, Microsoft, Roblox', 'Facebook, Google, Roblox')], alert: true, rule: 'wording' },
  { id: 'fcm2019 date dash style', fixture: 'fcm2019', edits: [e('29–30 July 2019', '29-30 July 2019')], alert: false, rule: 'cosmetic' },
  { id: 'letter thousands separator', fixture: 'letter', edits: [e('more than 8,000 reports', 'more than 8000 reports')], alert: false, rule: ['wording', 'numbers'] },
  { id: 'letter request → urge', fixture: 'letter', edits: [e('We are writing to request that Facebook', 'We are writing to urge that Facebook')], alert: true, rule: 'wording' },
  { id: 'e2ee-page UK spelled out', fixture: 'e2eePage', edits: [e('• the UK', '• the United Kingdom')], alert: false, rule: 'wording' },

  // ---- Real EDGI page pairs ----
  { id: 'FEMA Oct 3 → Oct 5 (real)', fixture: 'femaA', afterFixture: 'femaB', edits: [], captureDate: '2017-10-05T16:00:00Z', alert: true, rule: 'numbers' },
  { id: 'DOE homepage news rotated (real)', fixture: 'doeA', afterFixture: 'doeB', edits: [], alert: false, rule: 'boilerplate' },
  { id: 'FEMA Oct 3 → Oct 5 (real, menus not extracted)', fixture: 'femaStripA', afterFixture: 'femaStripB', edits: [], captureDate: '2017-10-05T16:00:00Z', alert: true, rule: 'numbers' },
  { id: 'DOE news rotated (real, menus not extracted)', fixture: 'doeStripA', afterFixture: 'doeStripB', edits: [], alert: false, rule: 'boilerplate' },
  { id: 'FEMA nav menu item renamed (not extracted)', fixture: 'femaStripA', edits: [e('Required Notices', 'Legal Notices')], alert: false, rule: 'boilerplate' },
  { id: 'DOE news headline edited', fixture: 'doeA', edits: [e('Announces 18 New Projects to Accelerate', 'Announces 19 New Projects to Accelerate')], alert: false, rule: 'boilerplate' },
  { id: 'FEMA figure edited', fixture: 'femaA', edits: [e('More than 240 patients seen', 'More than 340 patients seen')], alert: true, rule: 'numbers' },
  { id: 'FEMA "not" dropped', fixture: 'femaA', edits: [e('Service providers will not be charging additional roaming charges', 'Service providers will be charging additional roaming charges')], alert: true, rule: 'negation' },
];
