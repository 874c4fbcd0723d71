// One-click unsubscribe tokens: `<member id, base64url>.<HMAC-SHA256, base64url>` under a secret
// kept in the store's meta table (created on first use). Stateless: nothing to look up, nothing
// to expire; a token withdraws one consent (recommendation e-mails) of one member, and using it
// twice changes nothing more.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { BingeError } from '../../errors.js';
import type { Store } from '../../store/port.js';

const SECRET_META = 'recommend.unsubscribeSecret';
const PURPOSE = 'unsubscribe:recommendation_emails';

export async function unsubscribeSecret(store: Pick<Store, 'meta' | 'setMeta'>): Promise<Buffer> {
  const stored = await store.meta(SECRET_META);
  if (stored) return Buffer.from(stored, 'base64url');
  const secret = randomBytes(32);
  await store.setMeta(SECRET_META, secret.toString('base64url'));
  return secret;
}

function mac(secret: Buffer, memberId: string): Buffer {
  return createHmac('sha256', secret).update(`${PURPOSE}\n${memberId}`).digest();
}

export function unsubscribeToken(secret: Buffer, memberId: string): string {
  return `${Buffer.from(memberId).toString('base64url')}.${mac(secret, memberId).toString('base64url')}`;
}

/** The member a token was made for; BINGE_UNSUBSCRIBE_TOKEN_INVALID when it was not made with this secret. */
export function memberOfToken(secret: Buffer, token: string): string {
  const invalid = () => new BingeError('BINGE_UNSUBSCRIBE_TOKEN_INVALID', 'this unsubscribe link is not valid; use the link of the latest e-mail, or change consents in the privacy centre');
  const match = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) throw invalid();
  const memberId = Buffer.from(match[1], 'base64url').toString('utf8');
  const given = Buffer.from(match[2], 'base64url');
  const expected = mac(secret, memberId);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  return memberId;
}
