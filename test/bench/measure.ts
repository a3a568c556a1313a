/**
 * The one way a benchmark reports a figure: a JSON line {"name","n","median_ms",…} on stdout.
 * Benchmarks are not tests (DESIGN.md §7): nothing here fails on time; the budget is printed beside
 * the figure so a reader sees both.
 */
export interface Figure {
  name: string;
  n: number;
  median_ms: number;
  p99_ms?: number;
  budget_ms?: number;
  runs: number;
  [extra: string]: unknown;
}

export function report(figure: Figure): void {
  const rounded = { ...figure, median_ms: round(figure.median_ms) };
  if (figure.p99_ms !== undefined) rounded.p99_ms = round(figure.p99_ms);
  process.stdout.write(`${JSON.stringify(rounded)}\n`);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

/** Runs `fn` `runs` times after `warmup` untimed runs and reports the median (and p99). */
export async function measure(
  name: string,
  n: number,
  fn: () => unknown,
  options: { runs?: number; warmup?: number; budgetMs?: number; extra?: Record<string, unknown> } = {},
): Promise<number> {
  const runs = options.runs ?? 7;
  for (let i = 0; i < (options.warmup ?? 1); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const median = quantile(samples, 0.5);
  const figure: Figure = { name, n, median_ms: median, runs, ...options.extra };
  if (runs >= 20) figure.p99_ms = quantile(samples, 0.99);
  if (options.budgetMs !== undefined) figure.budget_ms = options.budgetMs;
  report(figure);
  return median;
}
