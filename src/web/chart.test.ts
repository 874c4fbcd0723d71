// The bar chart's geometry (app/chart.ts): a pure function, so its rules are checked here in Node.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barLayout, DEFAULT_CHART, niceMax } from './app/chart.js';

test('the scale tops out at the next 1, 2 or 5 times a power of ten; nothing to show scales to 1', () => {
  assert.deepEqual([0, -3, 0.3, 1, 7, 10, 11, 19, 20, 21, 480, 501].map(niceMax), [1, 1, 0.5, 1, 10, 10, 20, 20, 20, 50, 500, 1000]);
});

test('each bar is as long as its share of the scale, from the axis; the largest value fits', () => {
  const layout = barLayout([
    { label: 'MX', value: 40 },
    { label: 'FR', value: 10 },
    { label: 'empty', value: 0 },
  ]);
  const { labelWidth, valueWidth, width, barHeight, gap, axisHeight } = DEFAULT_CHART;
  assert.equal(layout.max, 50);
  assert.equal(layout.axisX, labelWidth);
  assert.equal(layout.axisWidth, width - labelWidth - valueWidth);
  assert.deepEqual(layout.bars.map((b) => b.width), [layout.axisWidth * 0.8, layout.axisWidth * 0.2, 0]);
  assert.ok(layout.bars.every((b) => b.x + b.width <= layout.axisX + layout.axisWidth));
  assert.deepEqual(layout.bars.map((b) => b.y), [gap, gap + barHeight + gap, gap + 2 * (barHeight + gap)]);
  assert.equal(layout.height, gap + 3 * (barHeight + gap) + axisHeight);
  assert.deepEqual(layout.ticks.map((t) => t.value), [0, 12.5, 25, 37.5, 50]);
  assert.deepEqual([layout.ticks[0].x, layout.ticks[4].x], [layout.axisX, layout.axisX + layout.axisWidth]);
});

test('a negative count (never published, but not trusted) draws an empty bar, not one pointing left', () => {
  const [bar] = barLayout([{ label: 'x', value: -2 }]).bars;
  assert.equal(bar.width, 0);
  assert.equal(bar.x, DEFAULT_CHART.labelWidth);
});
