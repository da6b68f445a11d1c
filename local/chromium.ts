import { existsSync } from 'node:fs';

import { chromium, type Browser } from 'playwright-core';

/**
 * Headless Chromium for the browser tests and the page benchmark: Debian's `chromium` package
 * driven by playwright-core (Playwright's own browser download does not work on our machines).
 * `.ci/run` installs it with apt; locally, `apt-get install chromium` or set CHROMIUM_PATH.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps dialling Google's hosts, which a
// closed network refuses; --no-sandbox because CI runs as root.
const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function hasChromium(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** `extraArgs` are added to the usual flags (the tests add rendering ones). */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!hasChromium()) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}. Install it (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...LAUNCH_ARGS, ...extraArgs],
  });
}
