import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

/** Runs the same layer check `npm test` runs, on a throwaway app folder inside apps/. */
async function cruise(files: Record<string, string>): Promise<{ code: number; output: string }> {
  const dir = mkdtempSync(join(root, 'apps', 'zz-layer-probe-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const rel = dir.slice(root.length + 1);
    try {
      const { stdout } = await run('npx', ['depcruise', rel, '--config', '.dependency-cruiser.cjs'], {
        cwd: root,
      });
      return { code: 0, output: stdout };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, output: e.stdout + e.stderr };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the layer rule (dependency-cruiser, as npm test runs it)', () => {
  it('fails when domain code imports the framework, a driver or HTTP', async () => {
    const result = await cruise({
      'src/ledger/domain/lots.ts': [
        "import { Injectable } from '@nestjs/common';",
        "import mongoose from 'mongoose';",
        "import http from 'node:http';",
        'export const x = [Injectable, mongoose, http];',
      ].join('\n'),
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('domain-stays-pure');
    expect(result.output).toMatch(/@nestjs\/common/);
    expect(result.output).toMatch(/mongoose/);
    expect(result.output).toMatch(/http/);
  }, 60000);

  it('passes plain domain code that uses only the errors lib', async () => {
    const result = await cruise({
      'src/ledger/domain/lots.ts':
        "import { DomainError } from '@lib/errors';\nexport const fail = () => new DomainError('NOT_FOUND', 'x');\n",
    });
    expect(result.output).not.toContain('domain-stays-pure');
    expect(result.code).toBe(0);
  }, 60000);

  it('fails when one app imports another', async () => {
    const result = await cruise({
      'src/main.ts':
        "import { GatewayModule } from '../../gateway/src/gateway.module';\nexport const m = GatewayModule;\n",
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('no-app-to-app');
  }, 60000);
});
