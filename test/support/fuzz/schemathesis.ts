import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Schemathesis (PyPI) for the OpenAPI fuzz test: installed once into a venv in the user cache, like
 * scripts/infra.mjs caches mongod, and run as a child process against a gateway on a real port.
 */
export const SCHEMATHESIS_VERSION = '4.32.5';
const MIN_PYTHON: [number, number] = [3, 11]; // schemathesis 4.x: Requires-Python >= 3.11
const REQUIREMENTS = join(__dirname, 'schemathesis-requirements.txt');
const INSTALL_TIMEOUT_MS = 5 * 60_000;

export interface Schemathesis {
  /** The venv's python: `python -m schemathesis.cli` is `st`, and works after the venv is moved. */
  python: string;
  dir: string;
}

class SetupError extends Error {}

/**
 * The cached venv (`${XDG_CACHE_HOME:-~/.cache}/loyalty-platform/schemathesis-<version>-<hash>/`),
 * built on first use. It is built in a temporary sibling and renamed into place, so a concurrent or
 * interrupted run never sees a half-built one; the hash of the pinned requirements names it.
 */
export async function ensureSchemathesis(log: (line: string) => void = logToStderr): Promise<Schemathesis> {
  const requirements = readFileSync(REQUIREMENTS, 'utf8');
  if (!requirements.includes(`schemathesis==${SCHEMATHESIS_VERSION}\n`)) {
    throw new SetupError(`${REQUIREMENTS} does not pin schemathesis==${SCHEMATHESIS_VERSION}`);
  }
  const hash = createHash('sha256').update(requirements).digest('hex').slice(0, 8);
  const cacheRoot = process.env.XDG_CACHE_HOME || join(os.homedir(), '.cache');
  const dir = join(cacheRoot, 'loyalty-platform', `schemathesis-${SCHEMATHESIS_VERSION}-${hash}`);
  const installed = (d: string) => ({ dir: d, python: join(d, 'bin', 'python') });
  // The marker is written last, before the rename: its presence means the venv is complete.
  const complete = (d: string) => existsSync(join(d, '.complete')) && existsSync(join(d, 'bin', 'python'));
  if (complete(dir)) return installed(dir);

  const python = await systemPython();
  log(`installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI (once) into ${dir}…`);
  const t0 = Date.now();
  await mkdir(dirname(dir), { recursive: true });
  const tmp = await mkdtemp(join(dirname(dir), `.schemathesis-${SCHEMATHESIS_VERSION}-tmp-`));
  try {
    const venv = await run(python, ['-m', 'venv', tmp], { timeoutMs: 60_000 });
    if (venv.code !== 0) {
      throw new SetupError(
        `\`${python} -m venv\` failed: the venv module (and ensurepip) is needed to install schemathesis ` +
          `(on Debian/Ubuntu: \`apt-get install python3-venv\`).\n${indent(venv.output)}`,
      );
    }
    const { python: venvPython } = installed(tmp);
    const pip = await run(
      venvPython,
      ['-m', 'pip', 'install', '--no-input', '--disable-pip-version-check', '-r', REQUIREMENTS],
      { timeoutMs: INSTALL_TIMEOUT_MS, env: { ...process.env, PIP_REQUIRE_VIRTUALENV: '0' } },
    );
    if (pip.code !== 0) {
      throw new SetupError(
        `pip could not install schemathesis ${SCHEMATHESIS_VERSION} from PyPI (network or index problem?):\n` +
          indent(pip.output),
      );
    }
    const check = await run(venvPython, ['-m', 'schemathesis.cli', '--version'], { timeoutMs: 60_000 });
    if (check.code !== 0 || !check.output.includes(SCHEMATHESIS_VERSION)) {
      throw new SetupError(`the installed schemathesis does not run:\n${indent(check.output)}`);
    }
    await writeFile(join(tmp, '.complete'), `${SCHEMATHESIS_VERSION}\n`);
    if (existsSync(dir) && !complete(dir)) rmSync(dir, { recursive: true, force: true }); // broken leftover
    try {
      renameSync(tmp, dir);
    } catch (err) {
      // Another run finished first: use its copy.
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (!(['EEXIST', 'ENOTEMPTY'].includes(code) && complete(dir))) throw err;
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  log(`schemathesis ${SCHEMATHESIS_VERSION} installed in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return installed(dir);
}

/** python3 from PATH, checked to be new enough and to have pip. */
async function systemPython(): Promise<string> {
  const python = 'python3';
  const how = 'install python3 (>= 3.11) with pip and venv, e.g. `apt-get install python3-pip python3-venv`';
  const version = await run(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
    timeoutMs: 30_000,
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') {
      throw new SetupError(
        `the OpenAPI fuzz test runs schemathesis from PyPI, but ${python} is missing: ${how}.`,
      );
    }
    throw err;
  });
  const [major = 0, minor = 0] = version.output.trim().split('.').map(Number);
  if (version.code !== 0 || !(major * 100 + minor >= MIN_PYTHON[0] * 100 + MIN_PYTHON[1])) {
    throw new SetupError(
      `schemathesis ${SCHEMATHESIS_VERSION} needs Python >= ${MIN_PYTHON.join('.')}, and ${python} is ` +
        `${version.output.trim() || 'unusable'}: ${how}.`,
    );
  }
  if ((await run(python, ['-m', 'pip', '--version'], { timeoutMs: 30_000 })).code !== 0) {
    throw new SetupError(
      `the OpenAPI fuzz test installs schemathesis with pip, but ${python} has no pip: ${how}.`,
    );
  }
  return python;
}

export interface FuzzOptions {
  /** Origin of the API, e.g. http://127.0.0.1:40123; the schema is read from `${baseUrl}${schemaPath}`. */
  baseUrl: string;
  schemaPath: string;
  headers: Record<string, string>;
  checks: string[];
  maxExamples: number;
  seed: number;
  workers: number;
  requestTimeoutSeconds?: number;
  /** More `st run` options, e.g. `--continue-on-failure` when investigating. */
  extraArgs?: string[];
  timeoutMs: number;
}

/** The parts of schemathesis' JSON run report (`--report json`) the test reads. */
export interface RunReport {
  schemathesis_version: string;
  stop_reason: string;
  complete: boolean;
  exit_code: number;
  operations: { total: number; selected: number; tested: number; errored: number; skipped: number } | null;
  phases: Record<string, { status: string; skip_reason: string | null }> | null;
  test_cases: { generated: number; with_failures: number; unique_failures: number; errored: number };
  failures: { code: string; title: string; count: number; operations: string[] }[];
  errors: { title: string; count: number }[];
  warnings: string[];
}

export interface FuzzResult {
  code: number | null;
  /** Everything schemathesis printed: on failure, its report with a curl command per failure. */
  output: string;
  report: RunReport | undefined;
  command: string;
}

/**
 * `st run` once, from a temporary directory (so nothing, not even a `.hypothesis/` or
 * `.schemathesis/` directory, is written into the repository) with an environment that reaches no
 * proxy and carries no SCHEMATHESIS_* / HYPOTHESIS_* settings from the caller.
 */
export async function runSchemathesis(st: Schemathesis, options: FuzzOptions): Promise<FuzzResult> {
  const cwd = await mkdtemp(join(os.tmpdir(), 'loyalty-fuzz-'));
  try {
    const config = join(cwd, 'schemathesis.toml');
    const reportPath = join(cwd, 'report.json');
    // No crash files (`.schemathesis/<project>/cache/crashes`): nothing is kept between runs.
    await writeFile(config, '[cache]\nenabled = false\n');
    const args = [
      '-m',
      'schemathesis.cli',
      '--config-file',
      config,
      '--no-color',
      'run',
      `${options.baseUrl}${options.schemaPath}`,
      '--checks',
      options.checks.join(','),
      '--max-examples',
      String(options.maxExamples),
      '--seed',
      String(options.seed),
      '--workers',
      String(options.workers),
      '--generation-database',
      'none',
      '--request-timeout',
      String(options.requestTimeoutSeconds ?? 10),
      '--report',
      'json',
      '--report-json-path',
      reportPath,
      ...(options.extraArgs ?? []),
      ...Object.entries(options.headers).flatMap(([name, value]) => ['--header', `${name}: ${value}`]),
    ];
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: cwd,
      TMPDIR: os.tmpdir(),
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      NO_COLOR: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      // requests honours *_PROXY: set none, and bypass any for every host (only the gateway is called).
      NO_PROXY: '*',
      no_proxy: '*',
      COLUMNS: '120',
    };
    const result = await run(st.python, args, { cwd, env, timeoutMs: options.timeoutMs });
    const report = await readFile(reportPath, 'utf8').then(
      (text) => JSON.parse(text) as RunReport,
      () => undefined,
    );
    const command = ['st', ...args.slice(2)]
      .map((a) => (/^Authorization:/i.test(a) ? "'Authorization: Bearer [Filtered]'" : a))
      .join(' ');
    return { code: result.code, output: result.output, report, command };
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

function run(
  cmd: string,
  args: string[],
  { cwd, env = process.env, timeoutMs }: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      output += `\n[killed: still running after ${timeoutMs / 1000}s]\n`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function indent(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

function logToStderr(line: string): void {
  process.stderr.write(`[fuzz] ${line}\n`);
}
