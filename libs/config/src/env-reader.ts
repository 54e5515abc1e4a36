import { readFileSync } from 'node:fs';

export class ConfigError extends Error {}

/**
 * Reads settings from an environment and collects every problem instead of stopping at the first,
 * so one boot failure lists all that needs fixing. `finish` throws them as one ConfigError.
 */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  get(name: string): string | undefined {
    return this.env[name];
  }

  required(name: string, hint: string): string {
    const value = this.env[name];
    if (!value) this.problems.push(`${name} is not set (${hint})`);
    return value ?? '';
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      this.problems.push(`${name} must be an integer in ${min}..${max}`);
    return n;
  }

  /** `true` or `false` (any case, trimmed); unset or empty: `fallback`. */
  bool(name: string, fallback: boolean): boolean {
    const raw = (this.env[name] ?? '').trim().toLowerCase();
    if (raw === '') return fallback;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    this.problems.push(`${name} must be true or false (got "${this.env[name]}")`);
    return fallback;
  }

  /** A secret from `<NAME>_FILE` (a mounted file) or else `<NAME>`, where PEMs often carry "\n". */
  secret(name: string): string | undefined {
    const file = this.env[`${name}_FILE`];
    if (file) {
      try {
        return readFileSync(file, 'utf8');
      } catch (err) {
        this.problems.push(`${name}_FILE=${file} cannot be read (${(err as Error).message})`);
        return undefined;
      }
    }
    return this.env[name]?.replace(/\\n/g, '\n');
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  finish(app: string): void {
    if (this.problems.length) {
      throw new ConfigError(`${app}: invalid configuration:\n  - ${this.problems.join('\n  - ')}`);
    }
  }
}
