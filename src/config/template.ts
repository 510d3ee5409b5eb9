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

# watch_terms: words and phrases whose appearance, removal or rewording makes a change significant.
watch_terms: [encryption, "lawful access", backdoor, end-to-end, "exceptional access"]

# sources: the pages and PDFs to watch. Keys of a source:
#   id       file-name-safe name (lowercase letters, digits, . _ -); derived from the URL if absent.
#            It names the source's folder in the archive, so do not change it once versions exist.
#   url      http(s) address of the page or PDF.
#   kind     auto (from the response's Content-Type), html, pdf or text.
#   select   CSS selector(s) of the statement body; the first that matches is used.
#   remove   CSS selector(s) removed before extraction (banners, share bars, related links).
#   tags     labels for routing alerts and filtering.
#   headers  extra request headers, e.g. { Authorization: "Bearer \${API_TOKEN}" }.
#   ignore_robots  robots.txt is obeyed; to skip it, give the reason as text.
#   Any key from defaults (schedule, user_agent, timeout, max_size, ...) overrides it here.
# The selectors below are starting points: check what they capture before relying on them.
sources:
  # International statement: End-to-end encryption and public safety (11 October 2020),
  # GOV.UK publication page; its list of signatory governments has grown since.
  - id: gov-uk-international-statement-end-to-end-encryption-and-public-safety
    url: https://www.gov.uk/government/publications/international-statement-end-to-end-encryption-and-public-safety
    kind: html
    select: [main, "#content"]
    remove: ["#global-cookie-message"]
    tags: [five-eyes, encryption, statement]

  # The same statement as published by the US Department of Justice.
  - id: justice-gov-international-statement-end-end-encryption-and-public-safety
    url: https://www.justice.gov/opa/pr/international-statement-end-end-encryption-and-public-safety
    kind: html
    select: [main, article]
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
