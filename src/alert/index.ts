/** The alert stage: outbox, channels, summary line. */
export type * from './types.js';
export { DeliveryError } from './errors.js';
export { Outbox, outboxDir, type OutboxOptions, type OutboxLogger } from './outbox.js';
export { readOutboxStatus } from './outbox-status.js';
export { type BackoffPolicy, DEFAULT_BACKOFF, backoffDelay } from './backoff.js';
export { validateChannels, channelMatches, channelKind, channelTypes, registerChannel, formatProblem, type ChannelProblem, type ChannelValidation } from './registry.js';
export { summarize, summarizeReport } from './summary.js';
export { renderExcerpt, flavors, type Flavor, type Excerpt } from './excerpt.js';
export { composeMessage, titleOf } from './message.js';
export { buildPayload, PAYLOAD_SCHEMA, type AlertPayload } from './payload.js';
export { signBody } from './channels/webhook.js';
