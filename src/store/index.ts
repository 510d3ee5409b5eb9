/** The archive stage: the Store interface, the file store, and the hashing rules others reuse. */
export type * from './types.js';
export { canonicalJson, sha256Hex } from './canonical.js';
export { FsStore, openFsStore, type FsStoreOptions } from './fs/store.js';
export { generateSigningKeys, type SigningKeys } from './fs/signing.js';
export { StoreError, checkSourceId, SOURCE_ID_RE, type StoreErrorCode } from './fs/layout.js';
