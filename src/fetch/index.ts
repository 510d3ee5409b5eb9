/** The fetch stage's public surface. */
export { Fetcher, MAX_REDIRECTS, type FetcherOptions, type FetchLogger } from './fetcher.js';
export { blockedReason, type AddressPolicy, type LookupFunction, type LookupAddress } from './address.js';
export { parseRetryAfter } from './retry.js';
export { productToken } from './robots.js';
export type * from './types.js';
