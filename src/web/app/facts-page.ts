// The analyst pages: the public facts of a year, released with differential privacy. Reading the
// yearly budget (GET /v1/facts/ledger) spends nothing; asking for a release (GET /v1/facts)
// spends the epsilon asked unless the same question was asked before on the same data, so the
// page says what it would spend and asks for an explicit confirmation before it asks. A refusal
// (over budget, bad parameters) is shown in the API's own words. Each released count is shown
// with its epsilon, delta and method, and drawn as an inline SVG bar chart (chart.ts).

import { api, ApiError, DP_METHODS, type DpMethod, type FactGroup, type FactsLedger, type FactsRelease } from './api.js';
import { barLayout } from './chart.js';
import { field, h, svg } from './dom.js';
import { costNotice, describeGroup, describeNoise, FACT_KINDS, formatNumber, groupRule } from './release.js';

export interface PageHooks {
  /** Draws the current page again (after a change). */
  render: () => Promise<void>;
  /** Shows an error that is not the page's to explain (a 401 goes back to sign-in). */
  fail: (error: unknown) => void;
}

/** Kept while the tab lives, in memory: the year looked at, the question being written, the last answer. */
const state: {
  year?: number;
  epsilon: number;
  delta: number;
  method: DpMethod;
  release?: FactsRelease;
  refusal?: ApiError;
} = { epsilon: 0.1, delta: 1e-6, method: 'discrete-laplace' };

export async function factsPage(hooks: PageHooks): Promise<Node[]> {
  let ledger: FactsLedger;
  try {
    ledger = await api.factsLedger(state.year);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status === 401) throw error;
    return [h('h1', { tabindex: -1 }, 'Public facts'), yearForm(hooks), h('p', { role: 'alert', class: 'error' }, error.message)];
  }
  state.year = ledger.year;
  if (state.release && state.release.year !== ledger.year) state.release = undefined;
  return [
    h('h1', { tabindex: -1 }, `Public facts of ${ledger.year}`),
    h('p', {}, 'Counts of profiles released with differential privacy: each count has noise added, and each release spends part of the year’s privacy budget.'),
    yearForm(hooks),
    budgetSection(ledger),
    askSection(ledger, hooks),
    state.refusal ? refusalOf(state.refusal) : null,
    state.release ? releaseSection(state.release) : null,
  ].filter((node): node is HTMLElement => node !== null);
}

function yearForm(hooks: PageHooks): HTMLElement {
  const year = h('input', { type: 'number', name: 'year', min: 1970, max: 9999, required: true, value: state.year ?? '' });
  return h(
    'form',
    {
      'aria-label': 'Choose the year',
      onsubmit: (event: Event) => {
        event.preventDefault();
        state.year = Number(year.value);
        state.refusal = undefined;
        void hooks.render();
      },
    },
    field('Year', year, 'showing a year’s budget spends nothing'),
    h('button', { type: 'submit' }, 'Show the year'),
  );
}

function budgetSection(ledger: FactsLedger): HTMLElement {
  const { budget } = ledger;
  return h(
    'section',
    { 'aria-labelledby': 'budget', id: 'budget-section' },
    h('h2', { id: 'budget' }, 'Privacy budget'),
    h(
      'dl',
      { class: 'summary', id: 'budget-figures' },
      pairs(['Budget of the year (epsilon)', formatNumber(budget.epsilon)], ['Spent', formatNumber(budget.spent)], ['Left', formatNumber(budget.remaining)]),
    ),
    ledger.charges.length === 0
      ? h('p', {}, `No question has been charged to ${ledger.year} yet.`)
      : h(
          'table',
          { id: 'ledger' },
          h('caption', {}, `Every question charged to ${ledger.year}, oldest first`),
          h('thead', {}, h('tr', {}, ['When', 'Question', 'Epsilon', 'Delta', 'Method'].map((c) => h('th', { scope: 'col' }, c)))),
          h(
            'tbody',
            {},
            ledger.charges.map((c) =>
              h('tr', {}, h('td', {}, h('time', { datetime: c.at }, c.at)), h('td', { class: 'question-id' }, c.questionId), h('td', {}, formatNumber(c.epsilon)), h('td', {}, formatNumber(c.delta)), h('td', {}, c.method)),
            ),
          ),
        ),
  );
}

/** dl from [term, description] pairs. */
function pairs(...entries: [string, string][]): Node[] {
  return entries.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]);
}

function askSection(ledger: FactsLedger, hooks: PageHooks): HTMLElement {
  const epsilon = h('input', { type: 'number', name: 'epsilon', min: 0.000000001, max: 10, step: 'any', required: true, value: state.epsilon });
  const delta = h('input', { type: 'number', name: 'delta', min: 0, max: 1, step: 'any', required: true, value: state.delta });
  const method = h('select', { name: 'method' }, DP_METHODS.map((m) => h('option', { value: m, selected: m === state.method }, m)));
  const cost = h('p', { id: 'cost', 'aria-live': 'polite', class: 'cost' });
  const confirm = h('input', { type: 'checkbox', name: 'confirm', id: 'confirm-spend' });
  const message = h('p', { role: 'alert', class: 'error' });
  const showCost = () => {
    const notice = costNotice(ledger.year, ledger.budget, Number(epsilon.value));
    cost.textContent = notice.text;
    cost.classList.toggle('warning', notice.overBudget);
  };
  epsilon.addEventListener('input', () => {
    confirm.checked = false; // a confirmation is for the cost shown
    showCost();
  });
  showCost();
  const form = h(
    'form',
    {
      'aria-labelledby': 'ask',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        Object.assign(state, { epsilon: Number(epsilon.value), delta: Number(delta.value), method: method.value as DpMethod });
        if (!confirm.checked) {
          message.textContent = 'Confirm first: asking a new question spends privacy budget that cannot be given back.';
          confirm.focus();
          return;
        }
        try {
          state.release = await api.facts({ year: ledger.year, epsilon: state.epsilon, delta: state.delta, method: state.method });
          state.refusal = undefined;
        } catch (error) {
          if (!(error instanceof ApiError) || error.status === 401) return hooks.fail(error);
          state.refusal = error;
          state.release = undefined;
        }
        await hooks.render();
      },
    },
    field('Epsilon', epsilon, 'the privacy this release spends; smaller means more noise'),
    field('Delta', delta, 'the chance the guarantee fails; keep it tiny'),
    field('Method', method),
    cost,
    h('p', { class: 'consent' }, confirm, ' ', h('label', { for: confirm.id }, 'I understand that asking spends the epsilon above from this year’s budget')),
    h('button', { type: 'submit' }, 'Ask for the release'),
    message,
  );
  return h('section', { 'aria-labelledby': 'ask' }, h('h2', { id: 'ask' }, 'Ask for a release'), form);
}

function refusalOf(error: ApiError): HTMLElement {
  return h(
    'section',
    { 'aria-labelledby': 'refused', id: 'refusal' },
    h('h2', { id: 'refused' }, 'Release refused'),
    h('p', { role: 'alert', class: 'error' }, h('span', { class: 'code' }, error.code), ': ', h('span', { class: 'message' }, error.message)),
    h('p', {}, 'Nothing was released and nothing was spent.'),
  );
}

function releaseSection(release: FactsRelease): HTMLElement {
  const kinds = new Map<FactGroup['fact'], FactsRelease['facts']>();
  for (const fact of release.facts) kinds.set(fact.group.fact, [...(kinds.get(fact.group.fact) ?? []), fact]);
  return h(
    'section',
    { 'aria-labelledby': 'release', id: 'release-section' },
    h('h2', { id: 'release' }, `Release of ${release.year}`),
    h('p', { role: 'status', id: 'charged' }, release.charged ? `This question was new: it spent epsilon ${formatNumber(release.epsilon)}.` : 'This question was asked before on the same data: the same answer, nothing spent.'),
    h(
      'dl',
      { class: 'summary', id: 'release-figures' },
      pairs(
        ['Question', release.questionId],
        ['Epsilon', formatNumber(release.epsilon)],
        ['Delta', formatNumber(release.delta)],
        ['Method', release.method],
        ['Noise', describeNoise(release.method, release.noiseParameter)],
        ['Facts one profile may count in', String(release.maxFacts)],
        ['Group-size rule', groupRule(release.kMin, release.threshold)],
      ),
    ),
    release.facts.length === 0
      ? h('p', {}, 'No group was released.')
      : [...kinds].map(([kind, facts]) => factsOfKind(kind, facts)),
  );
}

function factsOfKind(kind: FactGroup['fact'], facts: FactsRelease['facts']): HTMLElement {
  const title = FACT_KINDS[kind];
  const id = `kind-${kind}`;
  return h(
    'section',
    { 'aria-labelledby': id, class: 'fact-kind', 'data-kind': kind },
    h('h3', { id }, title),
    chart(title, facts.map((f) => ({ label: describeGroup(f.group, f.name), value: f.value }))),
    h(
      'table',
      {},
      h('caption', {}, `${title}: noisy counts of profiles`),
      h('thead', {}, h('tr', {}, ['Group', 'Count', 'Epsilon', 'Delta', 'Method'].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        facts.map((f) =>
          h('tr', { 'data-key': f.key }, h('td', {}, describeGroup(f.group, f.name)), h('td', {}, String(f.value)), h('td', {}, formatNumber(f.epsilon)), h('td', {}, formatNumber(f.delta)), h('td', {}, f.method)),
        ),
      ),
    ),
  );
}

/** A horizontal bar chart as inline SVG: geometry from barLayout, look from style.css classes. */
function chart(title: string, bars: { label: string; value: number }[]): SVGSVGElement {
  const layout = barLayout(bars);
  const axisY = layout.height - 20;
  return svg(
    'svg',
    { class: 'chart', viewBox: `0 0 ${layout.width} ${layout.height}`, width: layout.width, height: layout.height, role: 'img', 'aria-label': `Bar chart: ${title} (the table below has the same counts)` },
    layout.ticks.flatMap((t) => [
      svg('line', { class: 'tick', x1: t.x, x2: t.x, y1: 0, y2: axisY }),
      svg('text', { class: 'tick-label', x: t.x, y: axisY + 14, 'text-anchor': 'middle' }, formatNumber(t.value)),
    ]),
    layout.bars.map((b) =>
      svg(
        'g',
        { class: 'bar' },
        svg('title', {}, `${b.label}: ${b.value}`),
        svg('text', { class: 'bar-label', x: b.x - 6, y: b.textY, 'text-anchor': 'end' }, b.label),
        svg('rect', { x: b.x, y: b.y, width: b.width, height: b.height }),
        svg('text', { class: 'bar-value', x: b.valueX, y: b.textY }, String(b.value)),
      ),
    ),
  );
}
