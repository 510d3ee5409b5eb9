/** The commented example watch list that `redline init` writes. It must load as it is (tested). */

export const EXAMPLE_CONFIG = `# Redline watch list.
# Redline checks each source on its schedule, keeps every version of the statement text in
# the archive, and alerts when the wording changes. Edit by hand, or use \`redline add <url>\`
# and \`redline remove <id>\` (both keep your comments).
#
# Any text value may use environment variables: \${NAME}, or \${NAME:-fallback} when NAME is
# unset or empty. Write $\${ for a literal "\${".

# archive: where versions are stored, relative to this file. Keep it: it is your evidence.
archive: ./snapshots

# signing_key: an Ed25519 private key (PEM), relative to this file, that signs the archive's log
# heads after each cycle, so anyone holding the public key can tell a rewritten archive from the
# real one. Keep it outside the archive (archives get shared; the key must not be).
# signing_key: ./redline.key

# timezone the schedules are read in: an IANA name such as Europe/London or UTC.
# Without it, the machine's time zone is used.
timezone: UTC

# defaults: settings for every source; a source may override any of them.
defaults:
  # When to check: cron, 5 fields (minute hour day-of-month month day-of-week), or 6 with
  # seconds first. "*/30 * * * *" = every 30 minutes.
  schedule: "*/30 * * * *"
  # Sent with every request. Put a way to reach you in it, so site owners can ask before blocking.
  user_agent: "Redline/0.1 (+https://example.org/contact-the-operator)"
  # Durations: "500ms", "10s", "2m", "1h" or a number of milliseconds.
  # timeout sets the three below at once; each can also be given on its own.
  timeout: 30s
  connect_timeout: 10s     # to open the connection
  response_timeout: 30s    # until the response headers arrive
  body_timeout: 60s        # for the whole body once headers arrived
  # Largest body accepted: "512KB", "20MB" or a number of bytes (1KB = 1024 bytes).
  max_size: 20MB
  # Politeness towards each host: per_host_concurrency = requests in flight at once at most,
  # per_host_delay = the least time between the starts of two requests.
  per_host_concurrency: 2
  per_host_delay: 1s
  # retries = extra attempts after a failed fetch (network error, 5xx), with backoff.
  retries: 2
  # A page that answers 404 or 410, or a "not found" page with status 200, is reported as removed
  # only after removal_confirmations such checks in a row that span at least removal_min_duration:
  # an outage or a botched deploy must not look like a withdrawn statement.
  removal_confirmations: 3
  removal_min_duration: 1h
  # failing_after = failed checks in a row (network errors, 5xx, timeouts) before a "failing" alert.
  failing_after: 5

# watch_terms: words and phrases whose appearance, removal or rewording makes a change significant.
watch_terms: [encryption, "lawful access", backdoor, end-to-end, "exceptional access"]

# significance: which changes alert. Rules give each change a level (none, low, medium, high);
# alert_at is the lowest level that alerts (medium if not given). Under rules, by rule name:
# enabled: false switches a rule off, level: replaces the level of its findings, and any other key
# is a parameter of the rule, written snake_case. Rules include sentence (min_words), wording,
# moved, modality, negation, numbers, parties, qualification, links, watch-terms, silent-edit,
# capture-date (tolerance_days), boilerplate, counter, markup, cosmetic and list-numbering.
significance:
  alert_at: medium
  rules:
    sentence: { min_words: 5 }   # shorter lines without a full stop (headings, labels) count as low

# tag_significance: settings for the sources with a tag. A source gets the settings above, then
# those of each of its tags in the order it lists them, then its own significance: (later wins,
# rule settings key by key).
tag_significance:
  letter:
    alert_at: low   # any rewording of a signed letter matters

# sources: the pages and PDFs to watch. Keys of a source:
#   id       file-name-safe name (lowercase letters, digits, . _ -); derived from the URL if absent.
#            It names the source's folder in the archive, so do not change it once versions exist.
#   url      http(s) address of the page or PDF.
#   kind     auto (from the response's Content-Type), html, pdf or text.
#   select   CSS selector(s) of the statement body; the first that matches is used. Pages on
#            GOV.UK and justice.gov need none: built-in presets, chosen by host, take the body
#            (GOV.UK: .gem-c-govspeak, with the published/updated dates and change notes;
#            justice.gov: div.field_body, or the older div.field--name-field-pr-body).
#            A select given here overrides the preset.
#   remove   CSS selector(s) removed before extraction (banners, share bars, related links).
#   tags     labels for routing alerts and filtering.
#   headers  extra request headers, e.g. { Authorization: "Bearer \${API_TOKEN}" }.
#   ignore_robots  robots.txt is obeyed; to skip it, give the reason as text.
#   significance   this source's own significance settings (as above), applied last.
#   Any key from defaults (schedule, user_agent, timeout, max_size, removal_confirmations, ...)
#   overrides it here.
sources:
  # International statement: End-to-end encryption and public safety (11 October 2020),
  # GOV.UK publication page; its list of signatory governments has grown since.
  - id: gov-uk-international-statement-end-to-end-encryption-and-public-safety
    url: https://www.gov.uk/government/publications/international-statement-end-to-end-encryption-and-public-safety
    kind: html
    tags: [five-eyes, encryption, statement]
    significance:
      rules:
        parties: { level: high }   # a government joining or leaving the statement

  # The same statement as published by the US Department of Justice.
  - id: justice-gov-international-statement-end-end-encryption-and-public-safety
    url: https://www.justice.gov/opa/pr/international-statement-end-end-encryption-and-public-safety
    kind: html
    tags: [five-eyes, encryption, statement]

  # Open letter to Facebook on its "Privacy First" proposals (4 October 2019), PDF on GOV.UK.
  # A PDF rarely changes in place, so check it less often.
  - id: gov-uk-hs-open-letter-to-mark-zuckerberg-pdf
    url: https://assets.publishing.service.gov.uk/government/uploads/system/uploads/attachment_data/file/836665/HS_open_letter_to_Mark_Zuckerberg.PDF
    kind: pdf
    schedule: "0 */6 * * *"
    tags: [five-eyes, encryption, letter]

# alerts: where alerts go. Each channel has a type and that type's settings; sources and tags
# (optional) limit it to those sources or tags, otherwise it gets every alert.
alerts:
  # - type: webhook
  #   url: https://hooks.example.org/redline
  #   secret: \${REDLINE_WEBHOOK_SECRET}   # signs each body (HMAC-SHA256); keep it out of this file
  #   tags: [encryption]
`;
