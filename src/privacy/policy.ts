// The one policy: who may read or change which data about whom, and why. A pure function of the
// question (asker, subject, purpose, data, action), the grants the asker holds and the clock, so
// it reads like the rules and is tested with literal cases. Every route (server/privacy-hook via
// privacy/routes.ts) and every CLI verb that touches personal data asks it exactly once;
// `decideAndRecord` in access.ts adds the audit entry the decision asks for.

export const ROLES = ['member', 'analyst', 'support', 'admin'] as const;
export type Role = (typeof ROLES)[number];
/** Askers that are not signed-in people: the player SDK's ingest key, an operator with the data folder (CLI), and anyone before signing in. */
export type ServiceRole = 'ingest' | 'operator' | 'anonymous';
export type AskerRole = Role | ServiceRole;
export const STAFF_ROLES: readonly Role[] = ['analyst', 'support', 'admin'];

/** The data classes a route or verb declares. Personal ones are about one member. */
export const PERSONAL_DATA = [
  'history', // views, continue watching, hidden marks
  'devices',
  'searches',
  'profiles',
  'account', // e-mail, role, sign-up date
  'consents',
  'access_log', // audit entries about the member
  'wellbeing', // nudges computed from the member's own viewing: the member only, ever
  'export', // everything at once
  'erasure',
  'events', // raw playback events (the player writes them)
] as const;
export type PersonalData = (typeof PERSONAL_DATA)[number];
export const OTHER_DATA = ['released_facts', 'keys', 'staff_accounts', 'audit_chain', 'support_grants', 'public'] as const;
export type OtherData = (typeof OTHER_DATA)[number];
export type DataClass = PersonalData | OtherData;

/** What support may look at under a ticket grant. */
export const GRANTABLE_DATA = ['history', 'devices', 'searches', 'profiles'] as const;
export type GrantableData = (typeof GRANTABLE_DATA)[number];

export const PURPOSES = [
  'self_service', // a member using their own account
  'support_ticket', // support helping a member under a grant
  'member_request', // an operator fulfilling a member's export or erasure request (CLI)
  'released_facts',
  'configuration', // keys, staff accounts, audit verification
  'ingest', // a player sending events
] as const;
export type Purpose = (typeof PURPOSES)[number];

export type Action = 'read' | 'change';

export interface Asker {
  /** Account id (members: their member id), or "ingest:<keyId>", or "cli:<user>". */
  id: string;
  role: AskerRole;
}

/** A support grant as the policy sees it. */
export interface Grant {
  grantId: string;
  supportId: string;
  memberId: string;
  ticket: string;
  data: readonly GrantableData[];
  expiresAtMs: number;
  closedAtMs: number | null;
}

export interface Question {
  asker: Asker;
  /** The member the data is about; null when the data is about no one (facts, keys). */
  subject: { memberId: string } | null;
  purpose: Purpose;
  data: DataClass;
  action: Action;
  /** Grants the asker holds on this subject (support only); expired ones are ignored. */
  grants?: readonly Grant[];
  nowMs: number;
}

export type Decision =
  | { allow: true; audit: boolean; ticket?: string; grantId?: string }
  | { allow: false; reason: DenyReason };

export type DenyReason =
  | 'no_subject' // the data is about a member who does not exist (answered like every other denial)
  | 'not_own_data'
  | 'no_grant'
  | 'role_not_allowed'
  | 'purpose_not_allowed';

const deny = (reason: DenyReason): Decision => ({ allow: false, reason });

export function isPersonal(data: DataClass): data is PersonalData {
  return (PERSONAL_DATA as readonly string[]).includes(data);
}

export function isGrantable(data: DataClass): data is GrantableData {
  return (GRANTABLE_DATA as readonly string[]).includes(data);
}

/** Changes and bulk reads of personal data are always written to the audit log. */
function alwaysAudited(data: DataClass, action: Action): boolean {
  return action === 'change' || data === 'export' || data === 'erasure';
}

export function decide(q: Question): Decision {
  if (isPersonal(q.data)) return decidePersonal(q);
  switch (q.data) {
    case 'public':
      return { allow: true, audit: false };
    case 'released_facts':
      // Released facts are public by construction (differential privacy); any signed-in role may read them.
      if (q.purpose !== 'released_facts') return deny('purpose_not_allowed');
      return q.asker.role === 'ingest' || q.asker.role === 'anonymous' ? deny('role_not_allowed') : { allow: true, audit: false };
    case 'keys':
    case 'audit_chain':
      if (q.purpose !== 'configuration') return deny('purpose_not_allowed');
      return q.asker.role === 'admin' || q.asker.role === 'operator' ? { allow: true, audit: true } : deny('role_not_allowed');
    case 'staff_accounts':
      if (q.purpose !== 'configuration') return deny('purpose_not_allowed');
      return q.asker.role === 'operator' ? { allow: true, audit: true } : deny('role_not_allowed');
    case 'support_grants':
      // Opening or closing a grant shows no member data by itself; reads under it are decided one by one.
      if (q.asker.role !== 'support') return deny('role_not_allowed');
      if (q.purpose !== 'support_ticket') return deny('purpose_not_allowed');
      return { allow: true, audit: true };
  }
}

function decidePersonal(q: Question): Decision {
  const { asker, subject } = q;
  switch (asker.role) {
    case 'member':
      // A browser player sends the member's own playback events with the member's token, as a
      // player with an ingest key would (not audited either); the route checks each event's profile.
      if (q.purpose === 'ingest') {
        if (q.data !== 'events' || q.action !== 'change') return deny('role_not_allowed');
        return subject?.memberId === asker.id ? { allow: true, audit: false } : deny('not_own_data');
      }
      if (q.purpose !== 'self_service') return deny('purpose_not_allowed');
      if (!subject) return deny('no_subject');
      if (subject.memberId !== asker.id) return deny('not_own_data');
      return { allow: true, audit: alwaysAudited(q.data, q.action) };
    case 'support': {
      if (q.purpose !== 'support_ticket') return deny('purpose_not_allowed');
      // Wellbeing, exports and erasure are never support's to see or do, grant or not.
      if (!isGrantable(q.data) || q.action !== 'read') return deny('role_not_allowed');
      if (!subject) return deny('no_subject');
      const grant = (q.grants ?? []).find(
        (g) =>
          g.supportId === asker.id &&
          g.memberId === subject.memberId &&
          g.closedAtMs === null &&
          q.nowMs < g.expiresAtMs &&
          g.data.includes(q.data as GrantableData),
      );
      if (!grant) return deny('no_grant');
      return { allow: true, audit: true, ticket: grant.ticket, grantId: grant.grantId };
    }
    case 'operator':
      // Someone holding the data folder fulfils a member's request: export, erasure, or reading
      // their history (`binge history`, a year in review: a person analysing their own export).
      if (q.purpose !== 'member_request') return deny('purpose_not_allowed');
      if (q.data !== 'export' && q.data !== 'erasure' && !(q.data === 'history' && q.action === 'read')) return deny('role_not_allowed');
      if (!subject) return deny('no_subject');
      return { allow: true, audit: true };
    case 'ingest':
      // The player writes raw events; it can read nothing back.
      return q.data === 'events' && q.action === 'change' && q.purpose === 'ingest' ? { allow: true, audit: false } : deny('role_not_allowed');
    case 'analyst':
    case 'admin':
    case 'anonymous':
      return deny('role_not_allowed');
  }
}
