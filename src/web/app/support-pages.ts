// The support pages: open a grant on one member (ticket, reason, the data it covers, hours), list
// and close the agent's own open grants, and look up exactly the data a grant covers. The API
// decides every look-up (privacy/policy.ts) and logs it with the grant's ticket; the member reads
// that log in the privacy centre. Without a live grant covering the data the API refuses, and
// the page shows its refusal and nothing else. Look-up answers live only in the page's DOM
// (never in storage); the only member data in a URL is the member id the API uses.

import { api, ApiError, GRANTABLE_DATA, type GrantableData, type SupportAnswer, type SupportGrant } from './api.js';
import { field, h } from './dom.js';
import type { PageHooks } from './facts-page.js';

const DATA_NAMES: Record<GrantableData, string> = { history: 'History', devices: 'Devices', searches: 'Searches', profiles: 'Profiles' };
/** The API's longest grant (privacy options: grantHours); the API says so if it is set lower. */
const MAX_HOURS = 8;

export const lookUpHref = (memberId: string) => `#/support/m/${encodeURIComponent(memberId)}`;

/** A message for the next render of the grants page (after opening or closing a grant). */
let notice: string | undefined;

const LOGGED =
  'Every look-up under a grant is written to the access log with the grant’s ticket, and so are opening and closing a grant; the member reads the log in their privacy centre (“Who looked at your data”).';

export async function grantsPage(hooks: PageHooks): Promise<Node[]> {
  const { grants } = await api.grants();
  const status = h('p', { role: 'status', id: 'grants-status' }, notice ?? '');
  notice = undefined;
  return [h('h1', { tabindex: -1 }, 'Support grants'), h('p', { class: 'logged' }, LOGGED), status, openForm(hooks), grantsTable(grants, status, hooks)];
}

function openForm(hooks: PageHooks): HTMLElement {
  const memberId = h('input', { type: 'text', name: 'memberId', required: true, autocomplete: 'off' });
  const ticket = h('input', { type: 'text', name: 'ticket', required: true, autocomplete: 'off' });
  const reason = h('textarea', { name: 'reason', required: true, rows: 3 });
  const hours = h('input', { type: 'number', name: 'hours', min: 0, max: MAX_HOURS, step: 'any' });
  const boxes = GRANTABLE_DATA.map((data) => h('input', { type: 'checkbox', name: 'data', value: data, id: `grant-data-${data}` }));
  const message = h('p', { role: 'alert', class: 'error', id: 'open-error' });
  return h(
    'section',
    { 'aria-labelledby': 'open' },
    h('h2', { id: 'open' }, 'Open a grant'),
    h(
      'form',
      {
        // The API is the judge of the limits (ticket format, reason, at most 8 h): its own words are shown.
        novalidate: true,
        onsubmit: async (event: Event) => {
          event.preventDefault();
          message.textContent = '';
          const data = boxes.filter((b) => b.checked).map((b) => b.value as GrantableData);
          try {
            const grant = await api.openGrant({
              memberId: memberId.value.trim(),
              ticket: ticket.value.trim(),
              reason: reason.value,
              data,
              hours: hours.value === '' ? undefined : Number(hours.value),
            });
            notice = `Opened a grant for ticket ${grant.ticket} on member ${grant.memberId}, covering ${grant.data.join(', ')}, until ${grant.expiresAt}.`;
            await hooks.render();
          } catch (error) {
            if (error instanceof ApiError && error.status !== 401) message.textContent = error.message;
            else hooks.fail(error);
          }
        },
      },
      field('Member id', memberId, 'the member’s id, as the member or the ticket gives it'),
      field('Ticket', ticket, 'a ticket number such as SUP-1234'),
      field('Reason', reason, 'why you need to look, in at least 10 characters; the member can read it'),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Data the grant covers'),
        boxes.map((box) => h('p', { class: 'consent' }, box, ' ', h('label', { for: box.id }, DATA_NAMES[box.value as GrantableData]))),
      ),
      field('Hours', hours, `how long the grant lasts: at most ${MAX_HOURS} hours; empty for ${MAX_HOURS}`),
      h('button', { type: 'submit' }, 'Open the grant'),
      message,
    ),
  );
}

function grantsTable(grants: SupportGrant[], status: HTMLElement, hooks: PageHooks): HTMLElement {
  return h(
    'section',
    { 'aria-labelledby': 'open-grants' },
    h('h2', { id: 'open-grants' }, 'Your open grants'),
    grants.length === 0
      ? h('p', {}, 'You hold no open grant.')
      : h(
          'table',
          { id: 'grants' },
          h('thead', {}, h('tr', {}, ['Ticket', 'Member', 'Data', 'Reason', 'Opened', 'Expires', 'Look up', 'Close'].map((c) => h('th', { scope: 'col' }, c)))),
          h(
            'tbody',
            {},
            grants.map((g) =>
              h(
                'tr',
                { 'data-grant-id': g.grantId },
                h('td', {}, g.ticket),
                h('td', {}, g.memberId),
                h('td', {}, g.data.join(', ')),
                h('td', {}, g.reason),
                h('td', {}, h('time', { datetime: g.openedAt }, g.openedAt)),
                h('td', {}, h('time', { datetime: g.expiresAt }, g.expiresAt)),
                h('td', {}, h('a', { href: lookUpHref(g.memberId), 'aria-label': `Look up member ${g.memberId} (ticket ${g.ticket})` }, 'Look up')),
                h(
                  'td',
                  {},
                  h(
                    'button',
                    {
                      type: 'button',
                      'aria-label': `Close the grant of ticket ${g.ticket}`,
                      onclick: async () => {
                        try {
                          await api.closeGrant(g.grantId);
                          notice = `Closed the grant of ticket ${g.ticket}.`;
                          await hooks.render();
                        } catch (error) {
                          if (error instanceof ApiError && error.status !== 401) status.textContent = error.message;
                          else hooks.fail(error);
                        }
                      },
                    },
                    'Close',
                  ),
                ),
              ),
            ),
          ),
        ),
  );
}

export async function lookUpPage(memberId: string, hooks: PageHooks): Promise<Node[]> {
  const grants = (await api.grants()).grants.filter((g) => g.memberId === memberId);
  return [
    h('h1', { tabindex: -1 }, `Look-up: member ${memberId}`),
    h('p', { class: 'logged' }, LOGGED),
    grants.length === 0
      ? h('p', { id: 'coverage' }, 'You hold no open grant on this member: the API refuses every look-up.')
      : h('ul', { id: 'coverage' }, grants.map((g) => h('li', {}, `Ticket ${g.ticket} covers ${g.data.join(', ')} until ${g.expiresAt}.`))),
    ...GRANTABLE_DATA.map((data) => lookUpSection(memberId, data, grants, hooks)),
  ];
}

function lookUpSection(memberId: string, data: GrantableData, grants: SupportGrant[], hooks: PageHooks): HTMLElement {
  const covering = grants.find((g) => g.data.includes(data));
  const result = h('div', { class: 'result', 'aria-live': 'polite' });
  const id = `data-${data}`;
  return h(
    'section',
    { 'aria-labelledby': id, 'data-data': data },
    h('h2', { id }, DATA_NAMES[data]),
    h('p', {}, covering ? `Covered by ticket ${covering.ticket}.` : 'Not covered by an open grant of yours.'),
    h(
      'button',
      {
        type: 'button',
        onclick: async () => {
          result.replaceChildren(h('p', { role: 'status', class: 'loading' }, 'Looking up…'));
          try {
            result.replaceChildren(...answerOf(await api.lookUp(memberId, data)));
          } catch (error) {
            if (!(error instanceof ApiError) || error.status === 401) return hooks.fail(error);
            result.replaceChildren(
              h('p', { role: 'alert', class: 'error refusal' }, `Refused: ${error.message}`),
              h('p', {}, 'Nothing is shown. Without an open grant of yours covering this data, the API answers as it does for an unknown member id, so a refusal does not tell whether the member exists.'),
            );
          }
        },
      },
      `Look up ${data}`,
    ),
    result,
  );
}

/** The answer as the API gives it: the ticket it was logged under, and a table of its items with the API's field names. */
function answerOf(answer: SupportAnswer): Node[] {
  const logged = h('p', { class: 'ticket' }, `Logged under ticket ${answer.ticket}.`);
  if (answer.items.length === 0) return [logged, h('p', {}, 'Nothing stored.')];
  const columns = Object.keys(answer.items[0]);
  return [
    logged,
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, answer.items.map((item) => h('tr', {}, columns.map((c) => h('td', {}, cell(item[c])))))),
    ),
  ];
}

function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}
