// @vitest-environment node
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { Rolldown } from 'vite';

type Chunk = Rolldown.OutputChunk;

/** What a browser loads before the first page shows: the entry chunk and its static imports. */
function firstLoad(chunks: Chunk[]): Chunk[] {
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    byName.get(name)?.imports.forEach(visit);
  };
  chunks.filter((c) => c.isEntry).forEach((c) => visit(c.fileName));
  return [...seen].map((name) => byName.get(name)!);
}

describe("the console's production bundle", () => {
  let chunks: Chunk[];

  beforeAll(async () => {
    // The real build (vite.config.ts), kept in memory: dist/ is left alone. Vite keeps a
    // NODE_ENV it finds set, and Vitest sets "test" (React's development build): production here.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    const result = await build({
      configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
      mode: 'production',
      logLevel: 'silent',
      build: { write: false, emptyOutDir: false },
    }).finally(() => {
      process.env.NODE_ENV = nodeEnv;
    });
    const outputs = Array.isArray(result) ? result : [result];
    chunks = outputs.flatMap((o) => ('output' in o ? o.output : [])).filter((o) => o.type === 'chunk');
  }, 60_000);

  it('loads less than 300 kB of script before the first page shows', () => {
    const bytes = firstLoad(chunks).reduce((sum, c) => sum + Buffer.byteLength(c.code), 0);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(300_000);
  });

  it('leaves the charts (recharts) out of it: they come in their own chunks, when first shown', () => {
    const eager = firstLoad(chunks).flatMap((c) => c.moduleIds);
    expect(eager.filter((id) => id.includes('/node_modules/recharts/'))).toEqual([]);
    const lazy = chunks.filter((c) => !firstLoad(chunks).includes(c)).flatMap((c) => c.moduleIds);
    expect(lazy.some((id) => id.includes('/node_modules/recharts/'))).toBe(true);
    for (const drawing of ['PointsDrawing', 'CampaignsDrawing', 'PayersDrawing']) {
      expect(lazy.some((id) => id.endsWith(`/${drawing}.tsx`))).toBe(true);
    }
  });

  it('leaves the API clients page out of it: it comes in its own chunk, when first opened', () => {
    const eager = firstLoad(chunks).flatMap((c) => c.moduleIds);
    expect(eager.filter((id) => id.includes('/pages/api-clients/'))).toEqual([]);
    const lazy = chunks.filter((c) => !firstLoad(chunks).includes(c)).flatMap((c) => c.moduleIds);
    expect(lazy.some((id) => id.endsWith('/pages/ApiClients.tsx'))).toBe(true);
  });

  it('leaves the Points policy and Tiers pages out of it: they come in their own chunks, when first opened', () => {
    const eager = firstLoad(chunks).flatMap((c) => c.moduleIds);
    expect(
      eager.filter((id) => /\/pages\/(points-policy|tiers)\/|\/pages\/(PointsPolicy|Tiers)\.tsx$/.test(id)),
    ).toEqual([]);
    const lazy = chunks.filter((c) => !firstLoad(chunks).includes(c)).flatMap((c) => c.moduleIds);
    for (const page of [
      '/pages/PointsPolicy.tsx',
      '/pages/Tiers.tsx',
      '/pages/points-policy/PolicyForm.tsx',
      '/pages/tiers/TiersForm.tsx',
    ])
      expect(lazy.some((id) => id.endsWith(page))).toBe(true);
  });

  it('leaves the Webhooks page out of it: it comes in its own chunk, when first opened', () => {
    const eager = firstLoad(chunks).flatMap((c) => c.moduleIds);
    expect(eager.filter((id) => /\/pages\/webhooks\/|\/pages\/Webhooks\.tsx$/.test(id))).toEqual([]);
    const lazy = chunks.filter((c) => !firstLoad(chunks).includes(c)).flatMap((c) => c.moduleIds);
    for (const page of ['/pages/Webhooks.tsx', '/pages/webhooks/DeliveryLog.tsx'])
      expect(lazy.some((id) => id.endsWith(page))).toBe(true);
  });
});
