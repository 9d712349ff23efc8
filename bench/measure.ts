// Timing helpers shared by the benchmarks. Figures are medians over several runs after warm-up,
// and every benchmark reports ratios against a reference measured in the same process run: on a
// shared 2-core machine absolute times drift by 2x between runs, ratios far less.

export interface Timing {
  /** Median of `samples`, in milliseconds. */
  median: number;
  samples: number[];
}

export interface TimingOptions {
  /** Untimed runs first, so the JIT and caches are warm. */
  warmup: number;
  runs: number;
}

/** Runs `fn` `warmup + runs` times and returns the median of the timed runs. */
export function measure(fn: () => unknown, options: TimingOptions): Timing {
  for (let i = 0; i < options.warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    collectGarbage();
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return { median: median(samples), samples };
}

/**
 * Like `measure`, for several functions at once, alternating between them run by run: a burst of
 * load from elsewhere on the machine then slows all of them alike instead of one, which keeps the
 * ratios between them steadier than separate `measure` calls would.
 */
export function measureInterleaved<K extends string>(fns: Record<K, () => unknown>, options: TimingOptions): Record<K, Timing> {
  const names = Object.keys(fns) as K[];
  for (const name of names) for (let i = 0; i < options.warmup; i++) fns[name]();
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < options.runs; i++) {
    for (const name of names) {
      collectGarbage();
      const start = performance.now();
      fns[name]();
      samples[name].push(performance.now() - start);
    }
  }
  return Object.fromEntries(names.map((name) => [name, { median: median(samples[name]), samples: samples[name] }])) as Record<K, Timing>;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A full GC between timed runs when node runs with `--expose-gc` (bench/run.ts passes it), so one run's garbage is not billed to the next. */
function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

/** A plain-text table with right-aligned numeric columns. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** True when the benchmark should fail on a missed target (`npm run bench -- --strict`). */
export function isStrict(): boolean {
  return process.argv.includes('--strict');
}
