/**
 * Time to the first slot list in a real browser: Debian's Chromium (driven by playwright-core)
 * opens a business's booking page with an empty cache, waits until the service step can be
 * used, presses Continue and waits for the first time button. Two profiles: a desktop on the
 * loopback network, and a phone on a slow mobile link with a 4x slower CPU (Chrome DevTools'
 * throttling), which is where page weight shows.
 */
import type { Browser, Page } from 'playwright-core';

import { CHROMIUM_PATH, hasChromium, launchChromium } from '../local/chromium.js';
import type { BenchBusiness } from './booking.bench.js';

const RUNS = 7;

interface Profile {
  name: string;
  viewport: { width: number; height: number };
  /** DevTools network emulation: added round trip (ms) and throughput (bytes per second). */
  network?: { latency: number; downloadThroughput: number; uploadThroughput: number };
  cpuSlowdown?: number;
}

const PROFILES: Profile[] = [
  { name: 'desktop, loopback', viewport: { width: 1280, height: 800 } },
  {
    name: 'phone, slow 4G (150 ms RTT, 1.6 Mbit/s), CPU 4x slower',
    viewport: { width: 390, height: 844 },
    network: { latency: 150, downloadThroughput: 200_000, uploadThroughput: 93_750 },
    cpuSlowdown: 4,
  },
];

export interface PageLoadRow {
  profile: string;
  runs: number;
  /** Navigation start to the service step's Continue button, then Continue to the first time. */
  readyMedianMs: number;
  firstSlotsMedianMs: number;
  firstSlotsP90Ms: number;
  /** Bytes on the wire for the first view (HTML, script, style, API answers). */
  transferBytes: number;
}

export type PageBenchResult =
  { measured: true; chromium: string; rows: PageLoadRow[] } | { measured: false; reason: string };

/** Under this on the slow phone profile the first times show within a good LCP budget. */
export const FIRST_SLOTS_TARGET_MS = 2500;

export async function runPageBench(
  origin: string,
  business: BenchBusiness,
): Promise<PageBenchResult> {
  if (!hasChromium()) {
    return {
      measured: false,
      reason: `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`,
    };
  }
  const browser = await launchChromium();
  try {
    const rows: PageLoadRow[] = [];
    for (const profile of PROFILES)
      rows.push(await measureProfile(browser, profile, origin, business));
    return { measured: true, chromium: browser.version(), rows };
  } finally {
    await browser.close();
  }
}

async function measureProfile(
  browser: Browser,
  profile: Profile,
  origin: string,
  business: BenchBusiness,
): Promise<PageLoadRow> {
  const ready: number[] = [];
  const firstSlots: number[] = [];
  let transferBytes = 0;
  for (let run = 0; run < RUNS; run++) {
    // A new context each run: no HTTP cache, no storage, as for a first visit.
    const context = await browser.newContext({
      viewport: profile.viewport,
      timezoneId: business.timeZone,
      locale: 'en-GB',
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    if (profile.network) {
      await cdp.send('Network.emulateNetworkConditions', { offline: false, ...profile.network });
    }
    if (profile.cpuSlowdown) {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpuSlowdown });
    }
    const timing = await firstSlotList(page, `${origin}/${business.slug}`);
    ready.push(timing.readyMs);
    firstSlots.push(timing.firstSlotsMs);
    transferBytes = timing.transferBytes;
    await context.close();
  }
  return {
    profile: profile.name,
    runs: RUNS,
    readyMedianMs: quantile(ready, 0.5),
    firstSlotsMedianMs: quantile(firstSlots, 0.5),
    firstSlotsP90Ms: quantile(firstSlots, 0.9),
    transferBytes,
  };
}

async function firstSlotList(page: Page, url: string) {
  await page.goto(url, { waitUntil: 'commit' });
  const continueButton = page.getByRole('button', { name: 'Continue' });
  await continueButton.waitFor({ state: 'visible', timeout: 60_000 });
  // Every instant is read in the page, on its own clock, from navigation start. The scripts are
  // strings because this project compiles without the DOM's types.
  const readyMs = await page.evaluate<number>('performance.now()');
  const clickedMs = await page.evaluate<number>(CLICK_CONTINUE);
  await page.locator('.time-list button').first().waitFor({ state: 'visible', timeout: 60_000 });
  const shownMs = await page.evaluate<number>('performance.now()');
  const transferBytes = await page.evaluate<number>(TRANSFERRED_BYTES);
  return { readyMs, firstSlotsMs: readyMs + (shownMs - clickedMs), transferBytes };
}

const CLICK_CONTINUE = `(() => {
  const button = [...document.querySelectorAll('button')].find(
    (candidate) => candidate.textContent.trim() === 'Continue',
  );
  const now = performance.now();
  button.click();
  return now;
})()`;

const TRANSFERRED_BYTES = `[
  ...performance.getEntriesByType('navigation'),
  ...performance.getEntriesByType('resource'),
].reduce((sum, entry) => sum + entry.transferSize, 0)`;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
