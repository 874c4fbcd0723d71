// Consent per purpose, with its history. A member's consent is the latest change at or before
// a moment, else the purpose's default. Computations ask at the moment they run
// (`consentedAt(memberId, purpose, nowMs)`, or `membersConsenting(purpose, nowMs)` in
// store/privacy-port.ts), so a withdrawal takes effect on the next computation.

export const CONSENT_PURPOSES = ['personalisation', 'recommendation_emails', 'public_facts', 'wellbeing_nudges'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/**
 * Defaults before a member says anything. E-mails and wellbeing nudges are opt-in; personalised
 * rows and inclusion in differentially private counts are on until withdrawn (both are shown at
 * sign-up and in the privacy centre).
 */
export const CONSENT_DEFAULTS: Readonly<Record<ConsentPurpose, boolean>> = Object.freeze({
  personalisation: true,
  recommendation_emails: false,
  public_facts: true,
  wellbeing_nudges: false,
});

export interface ConsentChange {
  purpose: ConsentPurpose;
  granted: boolean;
  atMs: number;
  /** Order of changes recorded in the same millisecond. */
  seq: number;
}

/** Whether the member consented to `purpose` at `nowMs`, from their history of changes. */
export function consentAt(history: readonly ConsentChange[], purpose: ConsentPurpose, nowMs: number): boolean {
  let latest: ConsentChange | undefined;
  for (const change of history) {
    if (change.purpose !== purpose || change.atMs > nowMs) continue;
    if (!latest || change.atMs > latest.atMs || (change.atMs === latest.atMs && change.seq > latest.seq)) latest = change;
  }
  return latest ? latest.granted : CONSENT_DEFAULTS[purpose];
}

/** Every purpose's state at `nowMs`. */
export function consentsAt(history: readonly ConsentChange[], nowMs: number): Record<ConsentPurpose, boolean> {
  return Object.fromEntries(CONSENT_PURPOSES.map((p) => [p, consentAt(history, p, nowMs)])) as Record<ConsentPurpose, boolean>;
}
