// Bearer keys. A route names the kinds of key it takes; a missing or wrong key is a 401 that
// says how to get one.

import type { FastifyRequest } from 'fastify';
import { BingeError } from '../errors.js';
import type { KeyRing } from '../privacy/keys.js';
import type { KeyKind, StoredKey } from '../store/port.js';

export async function requireKey(keys: KeyRing, request: FastifyRequest, kinds: readonly KeyKind[]): Promise<StoredKey> {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) {
    throw new BingeError('BINGE_UNAUTHORIZED', 'missing Authorization header: send "Authorization: Bearer <key>" (create one with `binge keys create --kind ingest`)');
  }
  const key = await keys.verify(match[1]);
  if (!key) throw new BingeError('BINGE_UNAUTHORIZED', 'the key is not known: create one with `binge keys create --kind ingest`');
  if (!kinds.includes(key.kind)) {
    throw new BingeError('BINGE_FORBIDDEN', `a ${key.kind} key cannot do this; it needs a ${kinds.join(' or ')} key`);
  }
  return key;
}
