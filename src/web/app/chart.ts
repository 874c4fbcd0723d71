// The geometry of a horizontal bar chart, as a pure function of the values: the scale's nice
// maximum and ticks, and each bar's box. The page draws it as inline SVG (facts-page.ts); this
// file knows nothing of the DOM, so its rules are tested in Node (src/web/chart.test.ts).

export interface BarInput {
  label: string;
  value: number;
}

export interface BarBox extends BarInput {
  /** The bar: from the axis (x) rightwards `width`, `height` tall, its top at `y`. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The baseline of the bar's label (left of the axis) and of its value (right of the bar). */
  textY: number;
  valueX: number;
}

export interface BarLayout {
  width: number;
  height: number;
  /** Where the value axis starts, and how long it is. */
  axisX: number;
  axisWidth: number;
  /** The scale's top: a 1, 2 or 5 times a power of ten, at least the largest value (1 for none). */
  max: number;
  ticks: { value: number; x: number }[];
  bars: BarBox[];
}

export interface ChartSize {
  width: number;
  labelWidth: number;
  valueWidth: number;
  barHeight: number;
  gap: number;
  /** Room below the bars for the tick labels. */
  axisHeight: number;
}

export const DEFAULT_CHART: ChartSize = { width: 640, labelWidth: 240, valueWidth: 64, barHeight: 20, gap: 6, axisHeight: 24 };

/** The smallest 1, 2 or 5 × 10^k that is at least `value` (1 when value ≤ 0). */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value - 1e-9 * power) return step * power;
  return 10 * power;
}

/** Bars top to bottom in the order given; a negative value draws as an empty bar (counts are published as 0 or more). */
export function barLayout(bars: readonly BarInput[], size: ChartSize = DEFAULT_CHART): BarLayout {
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const axisX = size.labelWidth;
  const axisWidth = size.width - size.labelWidth - size.valueWidth;
  const scale = (value: number) => (Math.max(0, value) / max) * axisWidth;
  const boxes = bars.map((bar, i) => {
    const y = size.gap + i * (size.barHeight + size.gap);
    const width = scale(bar.value);
    return { ...bar, x: axisX, y, width, height: size.barHeight, textY: y + size.barHeight * 0.7, valueX: axisX + width + 4 };
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => ({ value: max * share, x: axisX + axisWidth * share }));
  const height = size.gap + bars.length * (size.barHeight + size.gap) + size.axisHeight;
  return { width: size.width, height, axisX, axisWidth, max, ticks, bars: boxes };
}
