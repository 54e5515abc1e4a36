/** A dependency whose state decides readiness (a writable Mongo primary, Redis, the broker). */
export interface HealthCheck {
  name: string;
  check(): Promise<boolean>;
}

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, 'up' | 'down'>;
}

/** Collects every dependency check an app registers; /health/ready asks all of them. */
export class HealthRegistry {
  private readonly checks: HealthCheck[] = [];

  register(check: HealthCheck): void {
    this.checks.push(check);
  }

  async readiness(timeoutMs = 2000): Promise<ReadinessReport> {
    const results = await Promise.all(
      this.checks.map(async (c) => [c.name, await withTimeout(c.check(), timeoutMs)] as const),
    );
    const checks: ReadinessReport['checks'] = {};
    for (const [name, up] of results) checks[name] = up ? 'up' : 'down';
    return { status: results.every(([, up]) => up) ? 'ok' : 'unavailable', checks };
  }
}

async function withTimeout(p: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p.catch(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
