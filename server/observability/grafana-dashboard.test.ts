// The Grafana dashboard in ops/grafana reads the app's metrics: every series it queries is one
// this codebase defines, and every metric the app defines is on it.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { metricsRegistry } from './metrics.js';

interface Panel {
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
}

const dashboard = JSON.parse(readFileSync(new URL('../../ops/grafana/partner-capacity.json', import.meta.url), 'utf8')) as { uid: string; panels: Panel[] };
const expressions = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));
const defined = new Map(metricsRegistry.getMetricsAsArray().map((metric) => [metric.name, (metric as unknown as { type: string }).type]));

/** Metric names in a PromQL expression (ours all start with the prefix), without a histogram's series suffix. */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\bpartner_capacity_[a-z0-9_]+/g)].map(([name]) => name.replace(/_(bucket|count|sum)$/, ''));
}

describe('the Grafana dashboard', () => {
  test('queries only metrics the app defines', () => {
    for (const { panel, expr } of expressions) {
      for (const name of metricsIn(expr)) expect(defined.has(name), `${panel}: ${name}`).toBe(true);
    }
  });

  test('shows every metric the app defines', () => {
    const shown = new Set(expressions.flatMap(({ expr }) => metricsIn(expr)));
    expect([...defined.keys()].filter((name) => name.startsWith('partner_capacity_') && !shown.has(name))).toEqual([]);
  });

  test('reads counters and histograms as rates, and histograms as quantiles or counts', () => {
    for (const { panel, expr } of expressions) {
      for (const name of metricsIn(expr)) {
        const type = defined.get(name);
        if (type === 'counter') expect(expr, panel).toMatch(new RegExp(`(rate|increase)\\(${name}\\b`));
        if (type === 'histogram') expect(expr, panel).toMatch(new RegExp(`(histogram_quantile\\(0\\.\\d+, sum by \\(le[^)]*\\) \\(rate\\(${name}_bucket|rate\\(${name}_count)`));
      }
    }
  });
});
