/** Figures, their targets, the median of runs, and bench/results/latest.md and .json. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export type Target =
  | { readonly kind: 'at_least'; readonly value: number }
  | { readonly kind: 'at_most'; readonly value: number }
  | { readonly kind: 'below'; readonly value: number }
  | { readonly kind: 'between'; readonly min: number; readonly max: number }
  | { readonly kind: 'none' };

export interface Figure {
  /** `1a`, `3c`, ...: the issue's numbering. */
  readonly id: string;
  readonly name: string;
  /** The median of `runs`; NaN when it could not be measured. */
  readonly value: number;
  readonly unit: string;
  readonly target: Target;
  readonly runs: readonly number[];
  /** Ratios against the peers, for information. */
  readonly peers?: Readonly<Record<string, number>>;
  /** Conditions that differ from the defaults (limits raised, cache settings), and what else was seen. */
  readonly notes: string;
}

export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** True/false against the target; undefined when there is no target or no value. */
export function met(figure: Pick<Figure, 'value' | 'target'>): boolean | undefined {
  const { value, target } = figure;
  if (!Number.isFinite(value)) return undefined;
  switch (target.kind) {
    case 'at_least':
      return value >= target.value;
    case 'at_most':
      return value <= target.value;
    case 'below':
      return value < target.value;
    case 'between':
      return value >= target.min && value <= target.max;
    case 'none':
      return undefined;
  }
}

export function describeTarget(target: Target): string {
  switch (target.kind) {
    case 'at_least':
      return `≥ ${target.value}`;
    case 'at_most':
      return `≤ ${target.value}`;
    case 'below':
      return `< ${target.value}`;
    case 'between':
      return `${target.min} – ${target.max}`;
    case 'none':
      return '(information)';
  }
}

function format(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function verdict(figure: Figure): string {
  const ok = met(figure);
  return ok === undefined ? '' : ok ? 'met' : '**missed**';
}

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export function line(figure: Figure): string {
  const peers = Object.entries(figure.peers ?? {}).map(([peer, ratio]) => `${peer} ${format(ratio)}`).join(', ');
  const ok = met(figure);
  return `${figure.id.padEnd(3)} ${figure.name.padEnd(58)} ${format(figure.value).padStart(8)} ${figure.unit.padEnd(10)} target ${describeTarget(figure.target).padEnd(14)} ${ok === undefined ? '' : ok ? 'met' : 'MISSED'}${peers ? `  (÷ ${peers})` : ''}`;
}

export function writeResults(dir: URL, figures: readonly Figure[], context: { startedAt: Date; seconds: number; settings: readonly string[] }): void {
  mkdirSync(dir, { recursive: true });
  const m = machine();
  const json = {
    startedAt: context.startedAt.toISOString(),
    durationSeconds: Math.round(context.seconds),
    machine: m,
    settings: context.settings,
    figures: figures.map((figure) => ({ ...figure, value: Number.isFinite(figure.value) ? figure.value : null, target: figure.target, met: met(figure) ?? null, targetText: describeTarget(figure.target) })),
  };
  writeFileSync(new URL('latest.json', dir), `${JSON.stringify(json, null, 2)}\n`);

  const rows = figures.map((f) => {
    const peers = Object.entries(f.peers ?? {}).map(([peer, ratio]) => `${peer} ${format(ratio)}`).join('<br>');
    return `| ${f.id} | ${f.name} | ${format(f.value)} ${f.unit} | ${describeTarget(f.target)} | ${verdict(f)} | ${peers} | ${f.runs.map(format).join(', ')} | ${f.notes} |`;
  });
  const missed = figures.filter((f) => met(f) === false).map((f) => f.id);
  const md = [
    `# npm run bench: latest results`,
    '',
    `Run ${context.startedAt.toISOString()} in ${Math.round(context.seconds)} s on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}.`,
    `Each figure is the median of 3 runs. Targets missed: ${missed.length === 0 ? 'none' : missed.join(', ')}.`,
    '',
    '| # | Figure | Value | Target | | Against peers | Runs | Conditions |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    '## Settings',
    '',
    ...context.settings.map((s) => `- ${s}`),
    '',
  ].join('\n');
  writeFileSync(new URL('latest.md', dir), md);
}
