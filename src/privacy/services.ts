// What the doors (server, CLI) need from privacy/, built once and passed down.

import type { Store } from '../store/port.js';
import type { PrivacyStore } from '../store/privacy-port.js';
import { AccessGate } from './access.js';
import { TOKEN_TTL_S, TokenIssuer } from './tokens.js';

export interface PrivacyOptions {
  /** A support grant lasts this long unless asked for less. */
  grantHours: number;
  /** Sign-in (and sign-up) attempts allowed per client address per minute. */
  signInPerMinute: number;
  tokenTtlS: number;
}

export const DEFAULT_PRIVACY_OPTIONS: Readonly<PrivacyOptions> = Object.freeze({ grantHours: 8, signInPerMinute: 10, tokenTtlS: TOKEN_TTL_S });

export interface PrivacyServices {
  store: PrivacyStore;
  gate: AccessGate;
  tokens: TokenIssuer;
  options: PrivacyOptions;
}

export function privacyServices(core: Store, store: PrivacyStore, now: () => number, options: Partial<PrivacyOptions> = {}): PrivacyServices {
  const merged = { ...DEFAULT_PRIVACY_OPTIONS, ...options };
  return { store, gate: new AccessGate(store, now), tokens: new TokenIssuer(core, now, merged.tokenTtlS), options: merged };
}
