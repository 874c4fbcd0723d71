// The one API client of the pages: typed answers of the routes the pages use (their schemas are
// in src/server/routes/), the token in sessionStorage (this tab only; not readable by other
// pages, gone when the tab closes), sent as a bearer header. Errors carry the API's own
// message; a 401 means the token expired or was dropped: the caller goes back to sign-in.
// A staff account's role (as the sign-in answered it) is kept beside the token so that a reload
// leads to the right pages: staff cannot read GET /v1/me. Members keep the token only. Nothing
// the API answers about a member is ever stored: support look-ups live in the page's DOM.

import type { Budget, DpMethod, FactGroup } from './release.js';

export { DP_METHODS, type Budget, type DpMethod, type FactGroup } from './release.js';

const TOKEN_KEY = 'binge.token';
/** When the token expires (ms since the epoch, as the API said): the page renews it before then. */
const EXPIRES_KEY = 'binge.token-expires';
/**
 * How long before its expiry a token is renewed. Two minutes: a hidden tab's timers may fire up
 * to a minute late (browsers throttle them), and a request made later renews first anyway.
 */
const RENEW_BEFORE_MS = 2 * 60_000;
const STAFF_ROLE_KEY = 'binge.staff-role';
export const STAFF_ROLES = ['analyst', 'support', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type AccountRole = StaffRole | 'member';

export interface ApiErrorBody {
  error: { code: string; message: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Session {
  token: string;
  expiresAt: string;
  accountId: string;
  role: string;
}

export interface Me {
  memberId: string;
  email: string;
  country: string;
  createdAt: string;
  profiles: { profileId: string; name: string }[];
}

export interface RowItem {
  itemId: string;
  titleId: string;
  name: string;
  reason: string;
}

export interface Row {
  id: string;
  title: string;
  because?: { itemId: string; name: string };
  items: RowItem[];
}

export interface Rows {
  personal: boolean;
  modelId: string | null;
  rows: Row[];
}

export interface ContinueItem {
  reason: 'resume' | 'next_episode';
  titleId: string;
  title: string;
  positionS: number;
  label: string;
  seriesName?: string;
  season?: number | string;
  episode?: number;
  lastWatchedAt: string;
}

export const TITLE_KINDS = ['movie', 'episode', 'supplemental'] as const;
export type TitleKind = (typeof TITLE_KINDS)[number];

export interface HistoryView {
  viewId: string;
  titleId: string;
  title: string | null;
  kind: TitleKind;
  startedAt: string;
  endedAt: string;
  day: string;
  watchedS: number;
  bookmarkS: number;
  completed: boolean;
  rewatch: boolean;
  autoplayed: boolean;
}

export interface HistoryPage {
  views: HistoryView[];
  next: number | null;
}

export interface HistoryQuery {
  from?: string;
  to?: string;
  kind?: TitleKind;
  limit?: number;
  offset?: number;
}

interface Named {
  name: string;
}

export interface YearInReview {
  profileId: string;
  year: number;
  minutesWatched: number;
  topSeries: ({ seriesId: string; minutes: number } & Named)[];
  topFilms: ({ titleId: string; minutes: number } & Named)[];
  longestStreak: ({ scope: 'title' | 'series'; id: string; days: number; fromDay: string; toDay: string } & Named) | null;
  biggestBinge: ({ seriesId: string; episodes: number; day: string } & Named) | null;
  favouriteHour: number | null;
  favouriteWeekday: string | null;
  firsts: { firstTitle: ({ titleId: string; day: string } & Named) | null; newSeries: ({ seriesId: string; firstDay: string } & Named)[] };
  rewatches: { count: number; top: ({ titleId: string; count: number } & Named)[] };
  genres: { genre: string; minutes: number }[];
  comparisons: ({ kind: 'racer'; seriesId: string; season: number | string; about: number } | { kind: 'streak'; scope: string; id: string; days: number; about: number })[];
}

export interface Consents {
  consents: Record<string, boolean>;
  history: { purpose: string; granted: boolean; at: string }[];
}

export interface AccessLogEntry {
  seq: number;
  at: string;
  who: string;
  role: string;
  purpose: string;
  ticket: string | null;
  data: string;
  what: string;
  outcome: string;
}

export interface Wellbeing {
  enabled: boolean;
  bedtime: string | null;
  nudges: Record<string, unknown>[];
}

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** The signed-in account's role: a staff role kept at sign-in, else member. */
export function storedRole(): AccountRole {
  const role = sessionStorage.getItem(STAFF_ROLE_KEY);
  return (STAFF_ROLES as readonly string[]).includes(role ?? '') ? (role as StaffRole) : 'member';
}

export function signOut(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(EXPIRES_KEY);
  sessionStorage.removeItem(STAFF_ROLE_KEY);
  clearTimeout(renewalTimer);
}

/**
 * Signs out here and at the API (DELETE /v1/sessions): the token is refused from now on, wherever
 * a copy of it is. The page does not wait for the answer (keepalive: it goes even if the page does).
 */
export function endSession(): void {
  const token = storedToken();
  signOut();
  if (token) void fetch('/v1/sessions', { method: 'DELETE', headers: { authorization: `Bearer ${token}` }, credentials: 'omit', keepalive: true }).catch(() => undefined);
}

// Staying signed in: the API's tokens last 15 minutes, and POST /v1/sessions/renew gives the next
// one of the same sign-in while the current one is valid, for up to 12 hours after the password.
// An open page renews on a timer and before any request made close to the expiry; when renewal
// is refused (the sign-in is over, the account erased), the next request's 401 leads to sign-in.
let renewalTimer: ReturnType<typeof setTimeout> | undefined;
let renewing: Promise<void> | undefined;
/** The token whose renewal was refused: not asked again (it ends; the next 401 shows sign-in). */
let refused: string | undefined;

function keepToken(token: string, expiresAt: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  sessionStorage.setItem(EXPIRES_KEY, String(Date.parse(expiresAt)));
  scheduleRenewal();
}

function scheduleRenewal(): void {
  clearTimeout(renewalTimer);
  const expiresAtMs = Number(sessionStorage.getItem(EXPIRES_KEY));
  if (!storedToken() || !Number.isFinite(expiresAtMs) || expiresAtMs === 0) return;
  renewalTimer = setTimeout(() => void renewIfDue(), Math.max(0, expiresAtMs - RENEW_BEFORE_MS - Date.now()));
}

/** Renews the token when it expires within RENEW_BEFORE_MS; one renewal at a time; a refusal leaves the token as it is. */
function renewIfDue(): Promise<void> {
  const token = storedToken();
  const expiresAtMs = Number(sessionStorage.getItem(EXPIRES_KEY));
  if (!token || token === refused || !expiresAtMs || Date.now() < expiresAtMs - RENEW_BEFORE_MS || Date.now() >= expiresAtMs) return Promise.resolve();
  renewing ??= (async () => {
    try {
      const response = await fetch('/v1/sessions/renew', { method: 'POST', headers: { authorization: `Bearer ${token}` }, credentials: 'omit' });
      // Signed out or in as someone else meanwhile: this answer is no longer wanted.
      if (!response.ok) refused = token;
      else if (storedToken() === token) {
        const renewed = (await response.json()) as Session;
        keepToken(renewed.token, renewed.expiresAt);
      }
    } catch {
      // Offline: the token stays until it expires, and the next request says so.
    } finally {
      renewing = undefined;
    }
  })();
  return renewing;
}

/** Call once when the page starts: renews the stored token on time while the page is open (and when it is shown again). */
export function keepSignedIn(): void {
  scheduleRenewal();
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void renewIfDue().then(scheduleRenewal);
  });
}


export interface FactsQuery {
  year: number;
  epsilon: number;
  delta: number;
  method: DpMethod;
}

export interface FactsRelease {
  dataset: string;
  year: number;
  questionId: string;
  epsilon: number;
  delta: number;
  method: DpMethod;
  maxFacts: number;
  kMin: number;
  threshold: number;
  noiseParameter: number;
  charged: boolean;
  budget: Budget;
  facts: { key: string; group: FactGroup; name?: string; value: number; epsilon: number; delta: number; method: DpMethod }[];
}

export interface FactsLedger {
  dataset: string;
  year: number;
  budget: Budget;
  charges: { questionId: string; epsilon: number; delta: number; method: DpMethod; at: string }[];
}

export const GRANTABLE_DATA = ['history', 'devices', 'searches', 'profiles'] as const;
export type GrantableData = (typeof GRANTABLE_DATA)[number];

export interface SupportGrant {
  grantId: string;
  memberId: string;
  ticket: string;
  reason: string;
  data: string[];
  openedAt: string;
  expiresAt: string;
}

export interface GrantRequest {
  memberId: string;
  ticket: string;
  reason: string;
  data: GrantableData[];
  hours?: number;
}

/** What a look-up answers: the ticket it was logged under, and the items of the data asked. */
export interface SupportAnswer {
  ticket: string;
  items: Record<string, string | number | boolean | null>[];
}

async function request(method: string, path: string, body?: unknown): Promise<Response> {
  await renewIfDue();
  const token = storedToken();
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit' });
  if (!response.ok) {
    let code = 'BINGE_HTTP', message = `${response.status} ${response.statusText}`;
    try {
      const parsed = (await response.json()) as ApiErrorBody;
      code = parsed.error.code;
      message = parsed.error.message;
    } catch {
      // not the API's error shape: keep the status line
    }
    throw new ApiError(response.status, code, message);
  }
  return response;
}

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await (await request(method, path, body)).json()) as T;
}

const profile = (id: string) => `/v1/profiles/${encodeURIComponent(id)}`;

export const api = {
  async signIn(email: string, password: string): Promise<Session> {
    const session = await json<Session>('POST', '/v1/sessions', { email, password });
    signOut(); // nothing of an earlier account stays
    keepToken(session.token, session.expiresAt);
    if ((STAFF_ROLES as readonly string[]).includes(session.role)) sessionStorage.setItem(STAFF_ROLE_KEY, session.role);
    return session;
  },
  me: () => json<Me>('GET', '/v1/me'),
  rows: (profileId: string) => json<Rows>('GET', `${profile(profileId)}/rows`),
  continueWatching: (profileId: string) => json<{ items: ContinueItem[] }>('GET', `${profile(profileId)}/continue-watching`),
  history(profileId: string, query: HistoryQuery): Promise<HistoryPage> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
    return json<HistoryPage>('GET', `${profile(profileId)}/history?${params}`);
  },
  hide: (profileId: string, viewId: string) => json<{ hidden: true }>('POST', `${profile(profileId)}/history/${encodeURIComponent(viewId)}/hide`),
  yearInReview: (profileId: string, year: number) => json<YearInReview>('GET', `${profile(profileId)}/year-in-review?year=${year}`),
  consents: () => json<Consents>('GET', '/v1/me/consents'),
  setConsents: (changes: Record<string, boolean>) => json<Consents>('PUT', '/v1/me/consents', changes),
  accessLog: () => json<{ entries: AccessLogEntry[] }>('GET', '/v1/me/access-log'),
  wellbeing: () => json<Wellbeing>('GET', '/v1/me/wellbeing'),
  setBedtime: (bedtime: string | null) => json<{ bedtime: string | null }>('PUT', '/v1/me/wellbeing', { bedtime }),
  /** The export as a file: its bytes and the name the API gives it. */
  async exportFile(format: 'json' | 'csv'): Promise<{ blob: Blob; filename: string }> {
    const response = await request('GET', `/v1/me/export?format=${format}`);
    const disposition = response.headers.get('content-disposition') ?? '';
    const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `binge-export.${format}`;
    return { blob: await response.blob(), filename };
  },
  erase: (password: string) => json<{ erased: true }>('DELETE', '/v1/me', { password }),
  /** Every token of the account issued so far is refused (other devices and tabs included); this page signs out too. */
  async signOutEverywhere(): Promise<void> {
    await json<{ signedOut: true; everywhere: true }>('DELETE', '/v1/sessions?everywhere=true');
    signOut();
  },

  // Analysts: the yearly budget (spends nothing) and a release (spends budget unless asked before).
  factsLedger: (year?: number) => json<FactsLedger>('GET', `/v1/facts/ledger${year === undefined ? '' : `?year=${year}`}`),
  facts: (q: FactsQuery) => json<FactsRelease>('GET', `/v1/facts?${new URLSearchParams({ year: String(q.year), epsilon: String(q.epsilon), delta: String(q.delta), method: q.method })}`),

  // Support: own open grants, opening and closing one, and a look-up under a grant (logged).
  grants: () => json<{ grants: SupportGrant[] }>('GET', '/v1/support/grants'),
  openGrant: (grant: GrantRequest) => json<{ grantId: string; memberId: string; ticket: string; data: string[]; expiresAt: string }>('POST', '/v1/support/grants', grant),
  closeGrant: (grantId: string) => json<{ closed: true }>('DELETE', `/v1/support/grants/${encodeURIComponent(grantId)}`),
  lookUp: (memberId: string, data: GrantableData) => json<SupportAnswer>('GET', `/v1/support/members/${encodeURIComponent(memberId)}/${data}`),
};
