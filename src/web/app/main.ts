// The pages: sign in, then by the account's role. Members: Home, History and Year in review of
// one of their profiles, and the Privacy centre. Analysts (and admins): the public facts
// (facts-page.ts). Support: grants and look-ups under them (support-pages.ts). A page of another
// role shows "Not allowed" without asking (the API would refuse it anyway). Routing is by the
// URL's fragment (#/p/<profileId>/home, #/facts, #/support, #/support/m/<memberId>): the server
// serves one static page, and the only data in a URL is an id the API already uses. Every
// answer shown comes from the API with the account's token (api.ts); nothing is kept but the
// token (and a staff account's role), in sessionStorage.

import './style.css';
import { api, ApiError, endSession, keepSignedIn, signOut, storedRole, storedToken, TITLE_KINDS, type AccountRole, type HistoryQuery, type Me, type StaffRole, type TitleKind } from './api.js';
import { field, h, minutes } from './dom.js';
import { factsPage, type PageHooks } from './facts-page.js';
import { grantsPage, lookUpPage } from './support-pages.js';

const root = document.getElementById('app')!;
/** The account, read once per sign-in (profiles for the switcher). */
let me: Me | undefined;
/** A message for the next page shown (after signing out, erasure, an expired session). */
let notice: string | undefined;

const PURPOSES: Record<string, string> = {
  personalisation: 'Personalised rows and recommendations from what you watch',
  recommendation_emails: 'A weekly e-mail with recommendations',
  public_facts: 'Counting your viewing in public statistics (differentially private: no one can tell you were counted)',
  wellbeing_nudges: 'Wellbeing nudges from your own viewing, shown only to you',
};

type Page =
  | { name: 'sign-in' }
  | { name: 'privacy' }
  | { name: 'home' | 'history' | 'year'; profileId: string }
  | { name: 'facts' }
  | { name: 'grants' }
  | { name: 'lookup'; memberId: string };

/** Who each page is for; anyone else sees "Not allowed" (admins may ask for releases, so they see the facts). */
const PAGE_ROLES: Record<Exclude<Page, { name: 'sign-in' }>['name'], readonly AccountRole[]> = {
  home: ['member'],
  history: ['member'],
  year: ['member'],
  privacy: ['member'],
  facts: ['analyst', 'admin'],
  grants: ['support'],
  lookup: ['support'],
};

const STAFF_START: Record<StaffRole, string> = { analyst: '#/facts', admin: '#/facts', support: '#/support' };

function parseRoute(hash: string): Page {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (parts[0] === 'privacy') return { name: 'privacy' };
  if (parts[0] === 'facts') return { name: 'facts' };
  if (parts[0] === 'support') return parts[1] === 'm' && parts[2] ? { name: 'lookup', memberId: parts[2] } : { name: 'grants' };
  if (parts[0] === 'p' && parts[1] && ['home', 'history', 'year'].includes(parts[2] ?? 'home')) {
    return { name: (parts[2] ?? 'home') as 'home' | 'history' | 'year', profileId: parts[1] };
  }
  return { name: 'sign-in' };
}

const profileHref = (profileId: string, page: 'home' | 'history' | 'year') => `#/p/${encodeURIComponent(profileId)}/${page}`;

function go(hash: string): void {
  if (location.hash === hash) void render();
  else location.hash = hash;
}

/** What the staff pages call back: declared before the first render, which may reach them at once. */
const hooks: PageHooks = { render, fail: (error) => handleError(error) };

window.addEventListener('hashchange', () => void render());
keepSignedIn();
void render();

/** Counts finished renders on the root element (data-rendered): a test or an assistive tool can wait for the next one. */
async function render(): Promise<void> {
  try {
    await renderPage();
  } finally {
    root.dataset.rendered = String(Number(root.dataset.rendered ?? 0) + 1);
  }
}

async function renderPage(): Promise<void> {
  const page = parseRoute(location.hash);
  if (!storedToken()) {
    me = undefined;
    return showSignIn();
  }
  const role = storedRole();
  try {
    if (role === 'member') me ??= await api.me();
    if (page.name === 'sign-in') return go(role === 'member' ? profileHref(me!.profiles[0]?.profileId ?? '', 'home') : STAFF_START[role]);
    const main = role === 'member' ? frame(page) : staffFrame(role, page);
    main.append(h('p', { role: 'status', class: 'loading' }, 'Loading…'));
    const content = PAGE_ROLES[page.name].includes(role) ? await pageContent(page) : notAllowed(page.name, role);
    main.replaceChildren(...content);
    main.querySelector('h1')?.focus();
  } catch (error) {
    handleError(error);
  }
}

function pageContent(page: Exclude<Page, { name: 'sign-in' }>): Promise<Node[]> {
  switch (page.name) {
    case 'home':
      return homePage(page.profileId);
    case 'history':
      return historyPage(page.profileId);
    case 'year':
      return yearPage(page.profileId);
    case 'privacy':
      return privacyPage();
    case 'facts':
      return factsPage(hooks);
    case 'grants':
      return grantsPage(hooks);
    case 'lookup':
      return lookUpPage(page.memberId, hooks);
  }
}


/** A page of another role: said plainly, nothing asked of the API. */
function notAllowed(name: Exclude<Page, { name: 'sign-in' }>['name'], role: AccountRole): Node[] {
  return [
    h('h1', { tabindex: -1 }, 'Not allowed'),
    h('p', { role: 'alert' }, `This page is for ${PAGE_ROLES[name].map((r) => `${r}s`).join(' and ')}; you are signed in as ${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}.`),
  ];
}

/** A 401 is an expired or dropped token: back to sign-in. A 404 is a profile that is not the member's (or none). */
function handleError(error: unknown): void {
  if (error instanceof ApiError && error.status === 401) {
    signOut();
    me = undefined;
    notice = 'Your session has ended. Sign in again.';
    // Sign-in in place: the same page comes back after signing in.
    return showSignIn();
  }
  const main = document.getElementById('main');
  const target = main ?? root;
  const notFound = error instanceof ApiError && error.status === 404;
  const forbidden = error instanceof ApiError && error.status === 403;
  target.replaceChildren(
    h('h1', { tabindex: -1 }, notFound ? 'Not found' : forbidden ? 'Not allowed' : 'Something went wrong'),
    h('p', { role: 'alert' }, error instanceof Error ? error.message : String(error)),
  );
  target.querySelector('h1')?.focus();
}

function showSignIn(): void {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const message = h('p', { role: 'alert', class: 'error' });
  const form = h(
    'form',
    {
      onsubmit: async (event: Event) => {
        event.preventDefault();
        message.textContent = '';
        try {
          await api.signIn(email.value, password.value);
          me = undefined;
          // Back to the page asked for (a link, or where the session ended), else the first profile's Home.
          if (parseRoute(location.hash).name === 'sign-in') go('#/');
          else await render();
        } catch (error) {
          message.textContent = error instanceof Error ? error.message : String(error);
          password.select();
        }
      },
    },
    field('E-mail address', email),
    field('Password', password),
    h('button', { type: 'submit' }, 'Sign in'),
    message,
  );
  const main = h('main', { id: 'main' }, h('h1', { tabindex: -1 }, 'Sign in to binge'), notice ? h('p', { role: 'status' }, notice) : null, form);
  notice = undefined;
  root.replaceChildren(main);
  email.focus();
}

/** The header (navigation, profile switcher, sign out) and an empty main for the page. */
function frame(page: Exclude<Page, { name: 'sign-in' }>): HTMLElement {
  const profiles = me!.profiles;
  const current = 'profileId' in page ? page.profileId : (profiles[0]?.profileId ?? '');
  const profilePage = 'profileId' in page ? page.name : 'home';
  const switcher = h(
    'select',
    {
      id: 'profile',
      onchange: (event: Event) => go(profileHref((event.target as HTMLSelectElement).value, profilePage)),
    },
    profiles.map((p) => h('option', { value: p.profileId, selected: p.profileId === current }, p.name)),
  );
  const link = (href: string, label: string, active: boolean) => h('li', {}, h('a', { href, 'aria-current': active ? 'page' : undefined }, label));
  const nav = h(
    'nav',
    { 'aria-label': 'Pages' },
    h(
      'ul',
      {},
      link(profileHref(current, 'home'), 'Home', page.name === 'home'),
      link(profileHref(current, 'history'), 'History', page.name === 'history'),
      link(profileHref(current, 'year'), 'Year in review', page.name === 'year'),
      link('#/privacy', 'Privacy centre', page.name === 'privacy'),
    ),
  );
  const header = h('header', {}, h('p', { class: 'brand' }, 'binge'), nav, h('p', { class: 'account' }, field('Profile', switcher), ' ', h('span', {}, me!.email), ' ', signOutButton()));
  const main = h('main', { id: 'main' });
  root.replaceChildren(header, main);
  return main;
}

function signOutButton(): HTMLButtonElement {
  return h(
    'button',
    {
      type: 'button',
      onclick: () => {
        endSession();
        me = undefined;
        notice = 'You signed out.';
        go('#/sign-in');
      },
    },
    'Sign out',
  );
}

/** The header of a staff account: its pages, its role, sign out (staff have no profiles and no GET /v1/me). */
function staffFrame(role: StaffRole, page: Exclude<Page, { name: 'sign-in' }>): HTMLElement {
  const link = (href: string, label: string, active: boolean) => h('li', {}, h('a', { href, 'aria-current': active ? 'page' : undefined }, label));
  const links = role === 'support' ? [link('#/support', 'Grants', page.name === 'grants')] : [link('#/facts', 'Public facts', page.name === 'facts')];
  const header = h('header', {}, h('p', { class: 'brand' }, 'binge staff'), h('nav', { 'aria-label': 'Pages' }, h('ul', {}, links)), h('p', { class: 'account' }, h('span', { id: 'signed-in-as' }, `Signed in as ${role}`), ' ', signOutButton()));
  const main = h('main', { id: 'main' });
  root.replaceChildren(header, main);
  return main;
}

async function homePage(profileId: string): Promise<Node[]> {
  const [rows, resume] = await Promise.all([api.rows(profileId), api.continueWatching(profileId)]);
  const wellbeing = await api.wellbeing();
  const name = me!.profiles.find((p) => p.profileId === profileId)?.name ?? '';
  const sections: Node[] = [h('h1', { tabindex: -1 }, `Home of ${name}`)];
  if (wellbeing.enabled && wellbeing.nudges.length > 0) {
    sections.push(
      h('aside', { 'aria-labelledby': 'nudges' }, h('h2', { id: 'nudges' }, 'For you only'), h('ul', {}, wellbeing.nudges.map((n) => h('li', { class: 'nudge' }, String(n.message ?? ''))))),
    );
  }
  sections.push(
    h(
      'section',
      { 'aria-labelledby': 'resume', class: 'row', 'data-row': 'continue-watching' },
      h('h2', { id: 'resume' }, 'Continue watching'),
      resume.items.length === 0
        ? h('p', {}, 'Nothing to pick up.')
        : h(
            'ul',
            {},
            resume.items.map((item) => h('li', { 'data-title-id': item.titleId }, h('span', { class: 'name' }, item.seriesName ?? item.title), ' — ', h('span', { class: 'reason' }, item.label))),
          ),
    ),
  );
  if (!rows.personal) sections.push(h('p', { class: 'note' }, 'These rows are not personalised: personalisation is off in your privacy centre, or there is no model yet.'));
  const recommended = rows.rows.filter((row) => row.id !== 'continue_watching'); // shown above, with where to pick up
  if (recommended.length === 0) {
    sections.push(h('p', { class: 'note' }, rows.modelId === null ? 'No recommendations yet: the service has not trained a model.' : 'No recommendations yet.'));
  }
  for (const row of recommended) {
    sections.push(
      h(
        'section',
        { 'aria-labelledby': `row-${row.id}`, class: 'row', 'data-row': row.id },
        h('h2', { id: `row-${row.id}` }, row.title),
        row.items.length === 0
          ? h('p', {}, 'Nothing here yet.')
          : h(
              'ul',
              {},
              row.items.map((item) => h('li', { 'data-title-id': item.titleId }, h('span', { class: 'name' }, item.name), h('small', { class: 'reason' }, item.reason))),
            ),
      ),
    );
  }
  return sections;
}

const PAGE_SIZE = 20;
/** The history filters, kept while the tab lives (not in the URL: dates of viewing are member data). */
const historyState: { profileId?: string; query: HistoryQuery } = { query: { offset: 0 } };

async function historyPage(profileId: string): Promise<Node[]> {
  if (historyState.profileId !== profileId) Object.assign(historyState, { profileId, query: { offset: 0 } });
  const query = historyState.query;
  const result = await api.history(profileId, { ...query, limit: PAGE_SIZE });
  const status = h('p', { role: 'status', id: 'history-status' });

  const from = h('input', { type: 'date', name: 'from', value: query.from ?? '' });
  const to = h('input', { type: 'date', name: 'to', value: query.to ?? '' });
  const kind = h('select', { name: 'kind' }, h('option', { value: '' }, 'All kinds'), TITLE_KINDS.map((k) => h('option', { value: k, selected: query.kind === k }, kindLabel(k))));
  const filters = h(
    'form',
    {
      class: 'filters',
      'aria-label': 'Filter history',
      onsubmit: (event: Event) => {
        event.preventDefault();
        historyState.query = { from: from.value || undefined, to: to.value || undefined, kind: (kind.value || undefined) as TitleKind | undefined, offset: 0 };
        void render();
      },
    },
    field('From', from),
    field('To', to),
    field('Kind', kind),
    h('button', { type: 'submit' }, 'Apply filters'),
  );

  const table =
    result.views.length === 0
      ? h('p', {}, 'No views match.')
      : h(
          'table',
          {},
          h('caption', {}, `Views ${(query.offset ?? 0) + 1}–${(query.offset ?? 0) + result.views.length}, newest first`),
          h('thead', {}, h('tr', {}, ['Title', 'Kind', 'Day', 'Watched', 'Finished', ''].map((c) => h('th', { scope: 'col' }, c)))),
          h(
            'tbody',
            {},
            result.views.map((view) => {
              const name = view.title ?? view.titleId;
              return h(
                'tr',
                { 'data-view-id': view.viewId },
                h('td', {}, name),
                h('td', {}, kindLabel(view.kind)),
                h('td', {}, h('time', { datetime: view.day }, view.day)),
                h('td', {}, minutes(view.watchedS)),
                h('td', {}, view.completed ? 'yes' : 'no'),
                h(
                  'td',
                  {},
                  h(
                    'button',
                    {
                      type: 'button',
                      'aria-label': `Hide ${name} (${view.day})`,
                      onclick: async () => {
                        try {
                          await api.hide(profileId, view.viewId);
                          notice = `Hidden: ${name} (${view.day}). It has left your history, continue watching and recommendations.`;
                          await render();
                        } catch (error) {
                          handleError(error);
                        }
                      },
                    },
                    'Hide',
                  ),
                ),
              );
            }),
          ),
        );

  const offset = query.offset ?? 0;
  const pager = h(
    'nav',
    { 'aria-label': 'History pages', class: 'pager' },
    offset > 0 ? h('button', { type: 'button', onclick: () => ((historyState.query = { ...query, offset: Math.max(0, offset - PAGE_SIZE) }), void render()) }, 'Newer views') : null,
    result.next !== null ? h('button', { type: 'button', onclick: () => ((historyState.query = { ...query, offset: result.next! }), void render()) }, 'Older views') : null,
  );
  if (notice) status.textContent = notice;
  notice = undefined;
  return [h('h1', { tabindex: -1 }, 'History'), filters, status, table, pager];
}

function kindLabel(kind: TitleKind): string {
  return { movie: 'Film', episode: 'Episode', supplemental: 'Extra' }[kind];
}

/** The year shown; at first, the year of the profile's latest view (the demo's viewing is in an earlier year). */
const yearState: { profileId?: string; year: number } = { year: new Date().getFullYear() };

async function yearPage(profileId: string): Promise<Node[]> {
  if (yearState.profileId !== profileId) {
    const latest = (await api.history(profileId, { limit: 1 })).views[0];
    Object.assign(yearState, { profileId, year: latest ? Number(latest.day.slice(0, 4)) : new Date().getFullYear() });
  }
  const review = await api.yearInReview(profileId, yearState.year);
  const year = h('input', { type: 'number', name: 'year', min: 1970, max: 9999, value: yearState.year });
  const form = h(
    'form',
    {
      onsubmit: (event: Event) => {
        event.preventDefault();
        yearState.year = Number(year.value);
        void render();
      },
    },
    field('Year', year),
    h('button', { type: 'submit' }, 'Show'),
  );
  const list = <T>(heading: string, items: T[], line: (item: T) => string) =>
    h('section', { class: 'facts' }, h('h2', {}, heading), items.length === 0 ? h('p', {}, 'None.') : h('ol', {}, items.map((item) => h('li', {}, line(item)))));
  const facts: [string, string][] = [
    ['Minutes watched', String(Math.round(review.minutesWatched))],
    ['Longest streak', review.longestStreak ? `${review.longestStreak.days} days of ${review.longestStreak.name} (${review.longestStreak.fromDay} to ${review.longestStreak.toDay})` : 'none'],
    ['Biggest binge', review.biggestBinge ? `${review.biggestBinge.episodes} episodes of ${review.biggestBinge.name} on ${review.biggestBinge.day}` : 'none'],
    ['Favourite hour', review.favouriteHour === null ? 'none' : `${String(review.favouriteHour).padStart(2, '0')}:00`],
    ['Favourite weekday', review.favouriteWeekday ?? 'none'],
    ['First title of the year', review.firsts.firstTitle ? `${review.firsts.firstTitle.name} on ${review.firsts.firstTitle.day}` : 'none'],
    ['Rewatches', String(review.rewatches.count)],
  ];
  return [
    h('h1', { tabindex: -1 }, `Year in review ${review.year}`),
    form,
    h('dl', { class: 'summary' }, facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
    list('Top series', review.topSeries, (s) => `${s.name}: ${Math.round(s.minutes)} min`),
    list('Top films', review.topFilms, (f) => `${f.name}: ${Math.round(f.minutes)} min`),
    list('Genres', review.genres, (g) => `${g.genre}: ${Math.round(g.minutes)} min`),
    list('New series', review.firsts.newSeries, (s) => `${s.name}, from ${s.firstDay}`),
    list('You were one of about…', review.comparisons, (c) => (c.kind === 'racer' ? `${c.about} who raced through season ${c.season}` : `${c.about} with a ${c.days}-day streak`)),
  ];
}

async function privacyPage(): Promise<Node[]> {
  const [consents, log, wellbeing] = await Promise.all([api.consents(), api.accessLog(), api.wellbeing()]);
  const status = h('p', { role: 'status', id: 'privacy-status' });

  const consentBoxes = Object.entries(consents.consents).map(([purpose, granted]) => {
    const box = h('input', {
      type: 'checkbox',
      id: `consent-${purpose}`,
      name: purpose,
      checked: granted,
      onchange: async (event: Event) => {
        const checked = (event.target as HTMLInputElement).checked;
        try {
          await api.setConsents({ [purpose]: checked });
          notice = `${checked ? 'Turned on' : 'Turned off'}: ${PURPOSES[purpose] ?? purpose}.`;
          await render();
        } catch (error) {
          handleError(error);
        }
      },
    });
    return h('p', { class: 'consent' }, box, ' ', h('label', { for: box.id }, PURPOSES[purpose] ?? purpose), ' ', h('span', { class: 'state' }, `(${granted ? 'on' : 'off'})`));
  });

  const bedtime = h('input', { type: 'time', name: 'bedtime', value: wellbeing.bedtime ?? '' });
  const wellbeingSection = h(
    'section',
    { 'aria-labelledby': 'wellbeing' },
    h('h2', { id: 'wellbeing' }, 'Wellbeing nudges'),
    wellbeing.enabled
      ? h('div', {}, wellbeing.nudges.length === 0 ? h('p', {}, 'No nudges this week.') : h('ul', {}, wellbeing.nudges.map((n) => h('li', { class: 'nudge' }, String(n.message ?? '')))))
      : h('p', {}, 'Off. Nudges are opt-in: turn on "wellbeing nudges" above. Only you see them.'),
    h(
      'form',
      {
        onsubmit: async (event: Event) => {
          event.preventDefault();
          try {
            await api.setBedtime(bedtime.value || null);
            notice = bedtime.value ? `Bedtime set to ${bedtime.value}.` : 'Bedtime cleared.';
            await render();
          } catch (error) {
            handleError(error);
          }
        },
      },
      field('Bedtime', bedtime, 'local time; leave empty for none'),
      h('button', { type: 'submit' }, 'Save bedtime'),
    ),
  );

  const download = (format: 'json' | 'csv') =>
    h(
      'button',
      {
        type: 'button',
        onclick: async () => {
          try {
            const { blob, filename } = await api.exportFile(format);
            const url = URL.createObjectURL(blob);
            const link = h('a', { href: url, download: filename, hidden: true });
            document.body.append(link);
            link.click();
            link.remove();
            setTimeout(() => URL.revokeObjectURL(url), 10_000);
            status.textContent = `Downloaded ${filename}.`;
          } catch (error) {
            handleError(error);
          }
        },
      },
      `Download as ${format.toUpperCase()}`,
    );

  const CONFIRM = 'erase my account';
  const confirmation = h('input', { type: 'text', name: 'confirm', autocomplete: 'off' });
  const erasePassword = h('input', { type: 'password', name: 'password', autocomplete: 'current-password' });
  const eraseMessage = h('p', { role: 'alert', class: 'error' });
  const erasure = h(
    'form',
    {
      onsubmit: async (event: Event) => {
        event.preventDefault();
        if (confirmation.value.trim().toLowerCase() !== CONFIRM) {
          eraseMessage.textContent = `Type "${CONFIRM}" to confirm.`;
          confirmation.focus();
          return;
        }
        try {
          await api.erase(erasePassword.value);
          signOut();
          me = undefined;
          notice = 'Your account and everything kept about you were erased.';
          go('#/sign-in');
        } catch (error) {
          // A wrong password is a 401 too: the session is still good when /v1/me still answers.
          const sessionAlive = error instanceof ApiError && error.status === 401 ? await api.me().then(() => true, () => false) : true;
          if (error instanceof ApiError && sessionAlive) eraseMessage.textContent = error.message;
          else handleError(error);
        }
      },
    },
    field('Confirmation', confirmation, `type "${CONFIRM}"`),
    field('Password', erasePassword),
    h('button', { type: 'submit', class: 'danger' }, 'Erase my account'),
    eraseMessage,
  );

  if (notice) status.textContent = notice;
  notice = undefined;
  return [
    h('h1', { tabindex: -1 }, 'Privacy centre'),
    status,
    h(
      'section',
      { 'aria-labelledby': 'consents' },
      h('h2', { id: 'consents' }, 'What you allow'),
      h('fieldset', {}, h('legend', {}, 'Purposes'), consentBoxes),
      h('h3', {}, 'Every change you made'),
      consents.history.length === 0
        ? h('p', {}, 'No changes yet: the defaults apply.')
        : h(
            'table',
            { id: 'consent-history' },
            h('thead', {}, h('tr', {}, ['When', 'Purpose', 'Change'].map((c) => h('th', { scope: 'col' }, c)))),
            h(
              'tbody',
              {},
              consents.history.map((c) => h('tr', {}, h('td', {}, h('time', { datetime: c.at }, c.at)), h('td', {}, c.purpose), h('td', {}, c.granted ? 'allowed' : 'withdrawn'))),
            ),
          ),
    ),
    wellbeingSection,
    h(
      'section',
      { 'aria-labelledby': 'access' },
      h('h2', { id: 'access' }, 'Who looked at your data'),
      log.entries.length === 0
        ? h('p', {}, 'No one yet.')
        : h(
            'table',
            { id: 'access-log' },
            h('thead', {}, h('tr', {}, ['When', 'Who', 'Role', 'Why', 'Ticket', 'Data', 'What', 'Outcome'].map((c) => h('th', { scope: 'col' }, c)))),
            h(
              'tbody',
              {},
              log.entries.map((e) =>
                h('tr', { 'data-seq': e.seq }, [e.at, e.who, e.role, e.purpose, e.ticket ?? '', e.data, e.what, e.outcome].map((c) => h('td', {}, c))),
              ),
            ),
          ),
    ),
    h('section', { 'aria-labelledby': 'export' }, h('h2', { id: 'export' }, 'Everything kept about you'), h('p', {}, download('json'), ' ', download('csv'))),
    h(
      'section',
      { 'aria-labelledby': 'devices-signed-in' },
      h('h2', { id: 'devices-signed-in' }, 'Signed in elsewhere'),
      h('p', {}, 'A lost phone, a computer you shared: sign out on every device and in every tab, this one included. Signing in again works at once.'),
      h(
        'button',
        {
          type: 'button',
          onclick: async () => {
            try {
              await api.signOutEverywhere();
              me = undefined;
              notice = 'You signed out on every device.';
              go('#/sign-in');
            } catch (error) {
              handleError(error);
            }
          },
        },
        'Sign out everywhere',
      ),
    ),
    h(
      'section',
      { 'aria-labelledby': 'erase' },
      h('h2', { id: 'erase' }, 'Erase your account'),
      h('p', {}, 'This removes your account, your profiles and everything kept about them. It cannot be undone.'),
      erasure,
    ),
  ];
}
