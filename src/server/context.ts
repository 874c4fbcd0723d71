import type { Config } from '../config.js';
import type { Catalogue } from '../domain/catalogue.js';
import type { CleanBatchPool } from '../ingest/clean-batch-pool.js';
import type { GroupCommitWriter } from '../ingest/writer.js';
import type { Logger } from '../logger.js';
import type { KeyRing } from '../privacy/keys.js';
import type { PrivacyServices } from '../privacy/services.js';
import type { Store } from '../store/port.js';

/** What routes receive: everything is passed in, nothing is global. */
export interface ServerContext {
  config: Config;
  store: Store;
  catalogue: Catalogue;
  writer: GroupCommitWriter;
  /** Worker threads that read clean ingest batches; without it the event loop reads them. */
  cleanBatches?: CleanBatchPool;
  keys: KeyRing;
  logger: Logger;
  now: () => number;
  /** Accounts, tokens, the policy gate and the privacy store; built by buildServer when not given. */
  privacy?: PrivacyServices;
}
