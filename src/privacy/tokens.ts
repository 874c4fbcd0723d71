// Signed, short-lived bearer tokens for people (members and staff), made with jose (HS256). The
// signing key is 32 random bytes from node:crypto, kept in meta and created on first use; the
// clock is injected. A token names the account only: the role is read from the account on every
// request, so an erased or changed account stops working at once.

import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { Store } from '../store/port.js';

export const TOKEN_TTL_S = 15 * 60;
/**
 * A sign-in lasts at most this long: a token may be renewed (`renew`) while it is valid, each new
 * one carrying the time of the sign-in (`auth_time`), and none reaches past it. An open page stays
 * signed in through a working day; a stolen token cannot be renewed for ever.
 */
export const SIGN_IN_MAX_S = 12 * 3600;
const ISSUER = 'binge';
const AUDIENCE = 'binge-api';
const KEY_META = 'auth.tokenKey';

/** Verified tokens remembered (a sign-in lasts TOKEN_TTL_S; a few per member at a time). */
const MAX_REMEMBERED = 50_000;

/** What verifying a token established: its account and, in whole seconds, when it is valid. */
export interface VerifiedToken {
  readonly sub: string;
  readonly expS: number;
  readonly nbfS: number;
  /** When the person signed in with their password (`auth_time`; `iat` for a token made before renewal existed). */
  readonly authS: number;
  /** When the token was issued (`iat`): signing out everywhere refuses the tokens issued up to then. */
  readonly iatS: number;
  /** The token's own id (`jti`): what signing out records. */
  readonly jti: string;
  /** Set when the token is signed out: from then on it is refused, also by whoever kept this record. */
  revoked?: true;
}

/** A renewed token, and when the sign-in it continues ends. */
export interface RenewedToken {
  token: string;
  expiresAtMs: number;
  signInEndsAtMs: number;
}

export class TokenIssuer {
  private key: Uint8Array | undefined;
  /**
   * Tokens jose has verified, with their subject and expiry: the signature and claims of a token
   * string never change, so only the clock is asked again instead of an HMAC, a JSON parse and
   * the claim checks on every request (DECISIONS.md, 15). Failures are never remembered.
   */
  private readonly verified = new Map<string, VerifiedToken>();
  /** Signed-out tokens' ids and expiries (ms), read from the store once (`revokedTokens`), then kept here as tokens sign out. */
  private revoked: Promise<Map<string, number>> | undefined;
  /**
   * Accounts signed out everywhere, and the cut (whole seconds): their tokens issued at or before
   * it are refused. Read from the store with the signed-out ids (before any token is verified or
   * issued), then kept here; read synchronously by `stillValid`.
   */
  private readonly cuts = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly ttlS: number = TOKEN_TTL_S,
  ) {}

  private async signingKey(): Promise<Uint8Array> {
    if (this.key) return this.key;
    let stored = await this.store.meta(KEY_META);
    if (!stored) {
      stored = randomBytes(32).toString('base64url');
      await this.store.setMeta(KEY_META, stored);
    }
    this.key = new Uint8Array(Buffer.from(stored, 'base64url'));
    return this.key;
  }

  /** A token for `accountId`, signed in now (or, renewing, at `signedInAtS`): valid TOKEN_TTL_S, never past the sign-in's end. */
  async issue(accountId: string, signedInAtS?: number): Promise<{ token: string; expiresAtMs: number }> {
    await this.revokedIds();
    const nowS = Math.floor(this.now() / 1000);
    const authS = signedInAtS ?? nowS;
    const expS = Math.min(nowS + this.ttlS, authS + SIGN_IN_MAX_S);
    // A sign-in in the same second as a sign-out everywhere is issued just after the cut (jose
    // checks iat against the clock only for a maximum age, which binge does not set).
    const iatS = Math.max(nowS, (this.cuts.get(accountId) ?? -Infinity) + 1);
    const token = await new SignJWT({ auth_time: authS })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(accountId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iatS)
      .setExpirationTime(expS)
      .setJti(randomBytes(12).toString('base64url'))
      .sign(await this.signingKey());
    return { token, expiresAtMs: expS * 1000 };
  }

  /**
   * A new token for the same sign-in, from one that is valid now; undefined when the token is
   * not valid (forged, expired) or its sign-in is SIGN_IN_MAX_S old (then the password again).
   */
  async renew(token: string): Promise<RenewedToken | undefined> {
    const known = await this.validRecord(token);
    if (!known) return undefined;
    const endsS = known.authS + SIGN_IN_MAX_S;
    // A renewal that would give less than a minute is no renewal: sign in again.
    if (Math.floor(this.now() / 1000) + 60 > endsS) return undefined;
    const renewed = await this.issue(known.sub, known.authS);
    return { ...renewed, signInEndsAtMs: endsS * 1000 };
  }

  /** The account id the token was issued to, or undefined when it is forged, expired, signed out or malformed. */
  async verify(token: string): Promise<string | undefined> {
    const known = this.verified.get(token);
    if (known) return this.validNow(known);
    const revoked = await this.revokedIds();
    try {
      const { payload } = await jwtVerify(token, await this.signingKey(), {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: new Date(this.now()),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number' || typeof payload.jti !== 'string') return undefined;
      if (revoked.has(payload.jti)) return undefined;
      const iatS = payload.iat as number;
      if (iatS <= (this.cuts.get(payload.sub) ?? -Infinity)) return undefined;
      if (this.verified.size >= MAX_REMEMBERED) this.verified.delete(this.verified.keys().next().value as string);
      const authS = typeof payload.auth_time === 'number' ? payload.auth_time : iatS;
      const record = { sub: payload.sub, expS: payload.exp, nbfS: typeof payload.nbf === 'number' ? payload.nbf : -Infinity, authS, iatS, jti: payload.jti };
      this.verified.set(token, record);
      return payload.sub;
    } catch {
      return undefined;
    }
  }

  /** `verify`'s answer when it needs no waiting: the account id of a token verified before and valid now, else undefined (then ask `verify`). */
  verifiedNow(token: string): string | undefined {
    return this.verifiedRecordNow(token)?.sub;
  }

  /**
   * The record `verifiedNow` reads, when it would give its account: for a caller that keeps a
   * decision made on the token (the rows fast path) and asks `stillValid` instead of the map.
   */
  verifiedRecordNow(token: string): VerifiedToken | undefined {
    const known = this.verified.get(token);
    return known && this.stillValid(known) ? known : undefined;
  }

  /** Whether a token with this record is valid now (the record of a token string never changes: only the clock is asked). */
  stillValid(known: VerifiedToken): boolean {
    return this.validNow(known) !== undefined;
  }

  private validNow(known: VerifiedToken): string | undefined {
    // jose's own clock rule: valid while exp > now (whole seconds) and nbf <= now.
    const nowS = Math.floor(this.now() / 1000);
    return known.expS > nowS && known.nbfS <= nowS && known.revoked !== true && known.iatS > (this.cuts.get(known.sub) ?? -Infinity) ? known.sub : undefined;
  }

  /**
   * Signs a token out: refused from now on, everywhere it is checked (the record kept by the rows
   * fast path included), and after a restart until it would have expired. False when the token
   * is not valid now (nothing to sign out).
   */
  async revoke(token: string): Promise<boolean> {
    const known = await this.validRecord(token);
    if (!known) return false;
    await this.store.revokeToken(known.jti, known.expS * 1000);
    const revoked = await this.revokedIds();
    revoked.set(known.jti, known.expS * 1000);
    known.revoked = true;
    // An expired token is refused anyway: its id need not be kept (swept now and then, not on every sign-out).
    if (revoked.size > MAX_REMEMBERED) for (const [jti, expiresAtMs] of revoked) if (expiresAtMs <= this.now()) revoked.delete(jti);
    return true;
  }

  /**
   * Signs out every token of the token's account issued up to now, this one included, everywhere
   * they are checked (records kept by the rows fast path too) and after a restart, until the last
   * of them would have expired. A sign-in after it works at once. False when the token is not
   * valid now.
   */
  async revokeEverywhere(token: string): Promise<boolean> {
    const known = await this.validRecord(token);
    if (!known) return false;
    // Every token of the account issued so far has iat <= the cut: the newest one may have been issued just after the clock's second (issue).
    const cutS = Math.max(Math.floor(this.now() / 1000), this.cuts.get(known.sub) ?? -Infinity, known.iatS);
    await this.store.signOutEverywhere(known.sub, cutS, (cutS + 1 + Math.max(this.ttlS, TOKEN_TTL_S)) * 1000);
    this.cuts.set(known.sub, cutS);
    return true;
  }

  /** The record of a token valid now (verified, or verified before), else undefined. */
  private async validRecord(token: string): Promise<VerifiedToken | undefined> {
    return (await this.verify(token)) === undefined ? undefined : this.verified.get(token);
  }

  private revokedIds(): Promise<Map<string, number>> {
    if (!this.revoked) {
      // Expiries are not needed from the store: what it answers is not expired yet, and the clock re-checks every token.
      this.revoked = Promise.all([this.store.revokedTokens(this.now()), this.store.signOutsEverywhere(this.now())]).then(([ids, cuts]) => {
        for (const { accountId, beforeS } of cuts) this.cuts.set(accountId, Math.max(beforeS, this.cuts.get(accountId) ?? -Infinity));
        return new Map(ids.map((jti) => [jti, Infinity]));
      });
      // A failed read is asked again next time rather than remembered.
      this.revoked.catch(() => (this.revoked = undefined));
    }
    return this.revoked;
  }
}
