// Deterministic ids: the first hex digits of a SHA-256 of a namespace and the identifying
// values, so importing the same export twice yields the same ids and changes nothing.

import { createHash } from 'node:crypto';
import * as crypto from 'node:crypto';

/** Hex digits kept of the SHA-256 (64 bits: no collision to expect below billions of ids). */
export const ID_HEX_LENGTH = 16;

const SEPARATOR = '\u001f';

// crypto.hash (Node >= 20.12) is a one-shot digest about twice as fast as createHash.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export function sha256Hex(text: string): string {
  return oneShot !== undefined ? oneShot('sha256', text, 'hex') : createHash('sha256').update(text).digest('hex');
}

export function shortId(namespace: string, ...values: readonly string[]): string {
  return sha256Hex([namespace, ...values].join(SEPARATOR)).slice(0, ID_HEX_LENGTH);
}

/** Three ids from one digest (playback, start event, stop event): one hash per row keeps import fast. */
export function rowIds(content: string): { playbackId: string; startEventId: string; stopEventId: string } {
  const hex = sha256Hex(`netflix-row${SEPARATOR}${content}`);
  return {
    playbackId: hex.slice(0, ID_HEX_LENGTH),
    startEventId: hex.slice(ID_HEX_LENGTH, 2 * ID_HEX_LENGTH),
    stopEventId: hex.slice(2 * ID_HEX_LENGTH, 3 * ID_HEX_LENGTH),
  };
}
