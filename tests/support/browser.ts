/// <reference lib="dom" />
/**
 * A real browser for the dashboard's tests and its bench: Debian's Chromium (`/usr/bin/chromium`, installed by
 * scripts/setup.sh) driven by puppeteer-core over the DevTools protocol. Nothing is downloaded: puppeteer-core has
 * no browser of its own, it starts the one at `executablePath`. Where Chromium is missing a suite skips with the
 * reason; under CI=true it fails with it instead (CI must run these tests).
 *
 * Also: screenshots at a given width into .cache/screenshots/<name>-<width>.png (kept by CI as artifacts), the
 * page's horizontal overflow at that width, and a recorder of everything the server sent the page (HTTP bodies and
 * WebSocket frames, the latter through the DevTools Network domain) for the no-secret checks.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type HTTPResponse, type Page } from 'puppeteer-core';
import { describe, it } from 'vitest';
import { ROOT } from './engine';

/** The browser the tests drive (WOOSOO_CHROMIUM overrides it: another Chromium build, same flags). */
export const CHROMIUM = process.env.WOOSOO_CHROMIUM ?? '/usr/bin/chromium';
export const IN_CI = process.env.CI === 'true';
export const SCREENSHOTS = join(ROOT, '.cache', 'screenshots');

/** Why no browser can run here, or '' when one can. */
export const browserMissing = existsSync(CHROMIUM) ? '' : `Chromium is not installed at ${CHROMIUM} (run bash scripts/setup.sh: it installs Debian's chromium)`;

/**
 * describe() for a suite that drives the real browser: runs where Chromium exists; elsewhere skips with the reason,
 * or, under CI=true, is one test that fails with it. `missing` adds another missing component (same treatment).
 */
export function describeBrowser(title: string, body: () => void, opts: { missing?: string; timeout?: number } = {}): void {
  const reason = browserMissing || opts.missing || '';
  if (!reason) describe(title, { timeout: opts.timeout ?? 60_000 }, body);
  else if (IN_CI) describe(title, () => it('has the real browser and what it drives, which CI=true requires', () => { throw new Error(reason); }));
  else {
    console.warn(`[skip] ${title}: ${reason}`);
    describe.skip(`${title} — skipped: ${reason}`, body);
  }
}

/** Starts Chromium headless (the new headless mode: the real browser without a window), no sandbox (root in CI). */
export function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check'],
    defaultViewport: { width: 1280, height: 800 },
    // The tests wait for what they expect themselves; a launch on a loaded 2-core machine can take several seconds.
    protocolTimeout: 60_000,
    timeout: 60_000,
  });
}

/** How far the page's content is wider than the window (document.scrollingElement.scrollWidth) at this moment. */
export function scrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => (document.scrollingElement ?? document.documentElement).scrollWidth);
}

export interface Shot {
  width: number;
  /** The document's scroll width at that window width (> width: the page scrolls sideways). */
  scrollWidth: number;
  file: string;
}

/**
 * Screenshots of the page as it is now at each width (full page, 800 px tall window) into
 * .cache/screenshots/<name>-<width>.png, with the scroll width measured at that width; the window is left at the
 * first width given.
 */
export async function screenshots(page: Page, name: string, widths: readonly number[] = [1280, 360]): Promise<Shot[]> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const shots: Shot[] = [];
  for (const width of widths) {
    await page.setViewport({ width, height: 800 });
    // From the top (a sticky header would show mid-page in a full-page shot of a scrolled page); two animation
    // frames: the layout at the new width is done and painted.
    await page.evaluate(() => new Promise((r) => { scrollTo(0, 0); requestAnimationFrame(() => requestAnimationFrame(r)); }));
    const file = join(SCREENSHOTS, `${name}-${width}.png`);
    await page.screenshot({ path: file as `${string}.png`, fullPage: true });
    shots.push({ width, scrollWidth: await scrollWidth(page), file });
  }
  await page.setViewport({ width: widths[0], height: 800 });
  return shots;
}

/** Everything the server sent to a page, as text: response bodies (HTML, scripts, API JSON) and WebSocket frames. */
export interface Traffic {
  /** `<url>\n<body>` per response of the server's origin (redirects and bodiless responses left out). */
  bodies: string[];
  /** Each WebSocket frame received by the page (payload as sent), and each sent by it, in order. */
  framesIn: string[];
  framesOut: string[];
  /** URLs of responses whose body could not be read (the page never read it). */
  unread: string[];
  /** Decoded JSON of each received frame that is JSON (the live messages). */
  messages: () => Record<string, unknown>[];
  /** Waits until every response body seen so far has been read. */
  settled: () => Promise<void>;
}

/** Records what `origin` sends to the page from now on (HTTP bodies through puppeteer, frames through CDP). */
export async function recordTraffic(page: Page, origin: string): Promise<Traffic> {
  const bodies: string[] = [];
  const framesIn: string[] = [];
  const framesOut: string[] = [];
  const unread: string[] = [];
  const pending = new Set<Promise<void>>();
  page.on('response', (r: HTTPResponse) => {
    // No body to read: the WebSocket's 101, redirects. A body the page never reads (a fetch whose caller only looks at
    // the status) is never delivered through the protocol: after 10 s it is listed in `unread`.
    if (!r.url().startsWith(origin) || r.status() < 200 || (r.status() >= 300 && r.status() < 400)) return;
    const body = Promise.race([r.text(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 10_000).unref())]);
    const p = body.then((t) => { bodies.push(`${r.url()}\n${t}`); }, () => { unread.push(r.url()); }).finally(() => pending.delete(p));
    pending.add(p);
  });
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  cdp.on('Network.webSocketFrameReceived', (e) => framesIn.push(e.response.payloadData));
  cdp.on('Network.webSocketFrameSent', (e) => framesOut.push(e.response.payloadData));
  return {
    bodies, framesIn, framesOut, unread,
    messages: () => framesIn.flatMap((f) => { try { const m = JSON.parse(f); return m && typeof m === 'object' ? [m] : []; } catch { return []; } }),
    settled: async () => { await Promise.all([...pending]); },
  };
}
