export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}

/** Longest detail printed for one check: enough for a few ids and an error message. */
const MAX_DETAIL = 1_500;

/**
 * What one drill checked (PASS/FAIL lines) and measured (figure lines), printed as they come so a
 * slow drill shows its progress, and kept for the run's summary.
 */
export class DrillReport {
  readonly checks: Check[] = [];
  readonly figures: Array<[string, string]> = [];

  constructor(
    readonly drill: string,
    private readonly out: (line: string) => void = (line) => console.log(line),
  ) {
    this.out(`\n=== ${drill}`);
  }

  check(name: string, ok: boolean, detail?: string): boolean {
    this.checks.push({ name, ok, detail });
    const shown = detail && detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL)}…` : detail;
    this.out(`${ok ? 'PASS' : 'FAIL'} [${this.drill}] ${name}${shown ? `: ${shown}` : ''}`);
    return ok;
  }

  figure(label: string, value: string | number): void {
    this.figures.push([label, String(value)]);
    this.out(`     [${this.drill}] ${label}: ${value}`);
  }

  note(text: string): void {
    this.out(`     [${this.drill}] ${text}`);
  }

  get failed(): number {
    return this.checks.filter((c) => !c.ok).length;
  }
}

/** The run's last lines: each drill's verdict and its figures, in one block to copy. */
export function summary(reports: readonly DrillReport[], wallMs: number): string {
  const lines = ['', '=== summary'];
  for (const r of reports) {
    const verdict = r.failed
      ? `FAIL (${r.failed} of ${r.checks.length} checks failed)`
      : `PASS (${r.checks.length} checks)`;
    lines.push(`${r.drill}: ${verdict}`);
    for (const c of r.checks.filter((check) => !check.ok)) lines.push(`  FAIL ${c.name}`);
    for (const [label, value] of r.figures) lines.push(`  ${label}: ${value}`);
  }
  lines.push(`wall time ${(wallMs / 1000).toFixed(0)} s`);
  return lines.join('\n');
}
