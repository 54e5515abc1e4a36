// The browser the admin console's end-to-end tests drive: Debian's Chromium (Playwright's own
// browser download is not used: nothing may download binaries at run time).
import { accessSync, constants } from 'node:fs';
import { aptInstall } from './infra/apt.mjs';
import { UserError } from './proc.mjs';

const DEFAULT_PATH = '/usr/bin/chromium';

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The path of a Chromium to run (CHROMIUM_PATH, else /usr/bin/chromium), installing it when missing. */
export async function ensureChromium({ log }) {
  const path = process.env.CHROMIUM_PATH || DEFAULT_PATH;
  if (executable(path)) return path;
  if (process.env.CHROMIUM_PATH) {
    throw new UserError(
      `CHROMIUM_PATH=${path} is not an executable: point it at a Chromium or Chrome binary.`,
    );
  }
  if ((await aptInstall('chromium', { log })) && executable(path)) return path;
  throw new UserError(
    `the admin console's browser tests need Chromium at ${path}: install it ` +
      '(`sudo apt-get install chromium` on Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium/Chrome binary.',
  );
}
