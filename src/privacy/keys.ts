// API keys for services (ingest) and operators (admin). A key is 32 random bytes shown once;
// only its SHA-256 is stored (a key has full entropy, so a slow password hash adds nothing).

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { KeyKind, Store, StoredKey } from '../store/port.js';

export const KEY_KINDS: readonly KeyKind[] = ['ingest', 'admin'];

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export async function createKey(
  store: Store,
  kind: KeyKind,
  label: string,
  now: () => number = Date.now,
): Promise<{ key: string; stored: StoredKey }> {
  const key = `binge_${kind}_${randomBytes(32).toString('base64url')}`;
  const stored: StoredKey = { keyId: randomUUID(), kind, label, createdAtMs: now() };
  await store.putKey({ ...stored, hash: hashKey(key) });
  return { key, stored };
}

/** Looks keys up by hash, remembering the ones found (keys are never edited, only added). */
export class KeyRing {
  private readonly known = new Map<string, StoredKey>();
  constructor(private readonly store: Store) {}

  async verify(key: string): Promise<StoredKey | undefined> {
    const hash = hashKey(key);
    const cached = this.known.get(hash);
    if (cached) return cached;
    const stored = await this.store.keyByHash(hash);
    if (stored) this.known.set(hash, stored);
    return stored;
  }
}
