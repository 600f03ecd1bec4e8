/**
 * The dashboard in a real browser (Debian's Chromium through puppeteer-core, tests/support/browser.ts), against the
 * real server (buildDashboard with the engine's methods, listening on a free port) on a copy of the demo stack with
 * a private MariaDB; its services run under a real PM2. One browser for the file; the tests run in order and share
 * it: an operator signs in, deploys the demo from the Deploys page (the deploy that starts its services: steps
 * arrive live over the socket, then the report opens), sees the services Running, stops one from the page and sees a
 * start made outside the page (as a cmdlet would) reach it live; follows log lines appended to a service's real log
 * file, one of them a <script> that must stay text; a viewer gets no action buttons and 403s from the API; and no
 * secret of the configuration is in any page, response or WebSocket frame. Screenshots at 1280 and 360 px of the
 * overview, services, logs and deploys go to .cache/screenshots (no page may scroll sideways at 360 px).
 * Linux only (the file is no *.e2e.test.ts, so the Windows tier does not run it).
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { beforeAll, expect, it } from 'vitest';
import { SECRETS, useDemoProject } from '../deploy/fixture';
import { missingTools, waitFor } from '../harness/tools';
import { describeBrowser, launchBrowser, recordTraffic, screenshots, type Traffic } from '../support/browser';
import { resolveMethod, startDashboard, USERS, type LiveDashboard } from '../support/dashboard';

const missing = missingTools('php', 'composer', 'npm', 'mariadbd', 'mariadb-dump', 'nginx') ?? '';
const DEPLOY_MS = 240_000;
const STEP_MS = 20_000;

type Row = Record<string, unknown>;

describeBrowser('the dashboard in Chromium, on the demo stack', () => {
  let browser: Browser | undefined;
  let dash: LiveDashboard | undefined;
  let page: Page;
  let traffic: Traffic;
  /** page.content() of every page visited, for the no-secret check. */
  const htmls: string[] = [];
  /** Uncaught errors of the pages' scripts. */
  const pageErrors: string[] = [];
  const stack = useDemoProject('wsdash', async () => {
    await browser?.close();
    await dash?.close();
  });
  const names = () => ({ worker: 'woosoo-queue-worker', backend: 'woosoo-backend', reverb: 'woosoo-reverb', nginx: 'woosoo-nginx' });

  /** Runs an engine method on the demo as a cmdlet's engine would (same definitions, same params schema). */
  async function engine(method: string, params: Row = {}): Promise<{ items?: Row[] }> {
    const def = await resolveMethod(method);
    return (await def.handler(def.params.parse({ path: stack.p.dir, ...params }), stack.p.ctx())) as { items?: Row[] };
  }

  /** Waits until some element matching `selector` has `text` in its text. */
  const waitText = (p: Page, selector: string, text: string, timeout = STEP_MS) =>
    p.waitForFunction((s: string, t: string) => Array.from(document.querySelectorAll(s)).some((e) => (e.textContent ?? '').includes(t)), { timeout }, selector, text);

  /** The text of service `name`'s [data-status] on the page ('' when not shown). */
  const statusOf = (p: Page, name: string) =>
    p.evaluate((n: string) => document.querySelector(`[data-service="${n}"] [data-status]`)?.textContent?.trim() ?? '', name);

  const waitStatus = (p: Page, name: string, status: string, timeout = STEP_MS) =>
    p.waitForFunction((n: string, s: string) => document.querySelector(`[data-service="${n}"] [data-status]`)?.textContent?.trim() === s, { timeout }, name, status);

  /** Goes to #/<name> and waits for its page root. */
  async function open(p: Page, name: string): Promise<void> {
    await p.evaluate((n: string) => { location.hash = `#/${n}`; }, name);
    await p.waitForSelector(`[data-page="${name}"]`, { timeout: STEP_MS });
  }

  /** Screenshots of the page at 1280 and 360 px; at 360 px nothing may scroll sideways. */
  async function shoot(p: Page, name: string): Promise<void> {
    htmls.push(await p.content());
    const shots = await screenshots(p, name);
    for (const s of shots) expect({ name, width: s.width, scrollWidth: Math.min(s.scrollWidth, s.width) }).toEqual({ name, width: s.width, scrollWidth: s.scrollWidth });
  }

  /** Replaces the text of an input as a user does (select all, type over it). */
  async function fill(p: Page, selector: string, text: string): Promise<void> {
    await p.click(selector, { count: 3 });
    await p.keyboard.press('Backspace');
    await p.type(selector, text);
  }

  async function signIn(p: Page, user: keyof typeof USERS): Promise<void> {
    await p.goto(`${dash!.origin}/`, { waitUntil: 'domcontentloaded' });
    await p.waitForSelector('#login-name', { timeout: STEP_MS });
    await p.type('#login-name', user);
    await p.type('#login-password', USERS[user]);
    await Promise.all([p.waitForSelector('[data-page="overview"]', { timeout: STEP_MS }), p.click('button[type=submit]')]);
  }

  beforeAll(async () => {
    dash = await startDashboard(stack.p.dir, { env: stack.p.env, cwd: stack.p.dir });
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    traffic = await recordTraffic(page, dash.origin);
  }, 120_000);

  it('a wrong password is refused on the login page; the right one shows the overview and opens the live socket', async () => {
    await page.goto(`${dash!.origin}/`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('#login-name', { timeout: STEP_MS });
    htmls.push(await page.content());
    await page.type('#login-name', 'operator');
    await page.type('#login-password', 'not-the-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-error]', { timeout: STEP_MS });
    expect(await page.$('[data-page="overview"]')).toBeNull();
    await fill(page, '#login-password', USERS.operator);
    await Promise.all([page.waitForSelector('[data-page="overview"]', { timeout: STEP_MS }), page.click('button[type=submit]')]);
    // The live socket opens once signed in, and greets with the user and role.
    expect(await waitFor(() => traffic.messages().find((m) => m.type === 'hello'), STEP_MS)).toMatchObject({ type: 'hello', user: 'operator', role: 'operator' });
  });

  it('deploys the demo from the Deploys page: its steps arrive live, one by one, and its report opens', async () => {
    await open(page, 'deploys');
    await page.click('[data-action="deploy"]');
    await page.waitForSelector('[data-confirm], [data-deploy-step]', { timeout: STEP_MS });
    if (await page.$('[data-confirm]')) await page.click('[data-confirm] [data-action="confirm"]');
    // The first step shows on the page while the deploy still runs (no deploy.end yet), and more follow.
    await page.waitForSelector('[data-deploy-run] [data-deploy-step]', { timeout: DEPLOY_MS });
    const first = await page.$$eval('[data-deploy-run] [data-deploy-step]', (e) => e.length);
    const endedBeforeFirstStep = traffic.messages().some((m) => m.type === 'deploy.end');
    const end = await waitFor(() => traffic.messages().find((m) => m.type === 'deploy.end'), DEPLOY_MS, 250);
    expect(end, 'deploy.end over the socket').toBeTruthy();
    expect(endedBeforeFirstStep).toBe(false);
    const deployment = (end as { deployment?: Row }).deployment;
    expect({ status: deployment?.Status, error: (end as { error?: unknown }).error }).toMatchObject({ status: 'Succeeded' });
    // Each step's record as it ends (a step may also be sent when it starts: the page shows one line per step).
    const steps = new Set(traffic.messages().filter((m) => m.type === 'deploy.step' && m.id === end!.id).map((m) => (m.step as Row).Name));
    expect(steps.size).toBeGreaterThanOrEqual(5);
    await page.waitForFunction((n: number) => document.querySelectorAll('[data-deploy-run] [data-deploy-step]').length >= n, { timeout: STEP_MS }, steps.size);
    expect(first).toBeLessThan(steps.size);
    await shoot(page, 'deploys');
    // Its report: the deployment's own, from the page.
    await openReport(page, String(deployment!.Id));
  }, DEPLOY_MS + 60_000);

  /** Opens the report of deployment `id` from its row of the history, and sees it is that deployment's, succeeded. */
  async function openReport(p: Page, id: string): Promise<void> {
    await p.click(`[data-deployment="${id}"] [data-open-report]`);
    await p.waitForFunction((i: string) => document.querySelector(`[data-report="${i}"] [data-status]`)?.textContent?.trim() === 'Succeeded', { timeout: STEP_MS }, id);
    expect(await p.$$eval(`[data-report="${id}"] [data-deploy-step]`, (e) => e.length)).toBeGreaterThanOrEqual(5);
    await shoot(p, 'deploy-report');
  }

  it('shows the demo\'s services Running (the deploy started them)', async () => {
    await open(page, 'services');
    for (const name of Object.values(names())) await waitStatus(page, name, 'Running');
    const real = await engine('services.get');
    expect(real.items?.map((i) => [i.Name, i.Status])).toEqual(Object.values(names()).map((n) => [n, 'Running']));
    await shoot(page, 'services');
  });

  it('a stop from the page (after its confirmation) and a start from outside it both reach the page live, without a reload', async () => {
    const { worker } = names();
    await page.evaluate(() => { (window as unknown as { __sameDocument: boolean }).__sameDocument = true; });
    await page.click(`[data-service="${worker}"] [data-action="stop"]`);
    await page.waitForSelector('[data-confirm]', { timeout: STEP_MS });
    await page.click('[data-confirm] [data-action="confirm"]');
    await waitStatus(page, worker, 'Stopped');
    expect((await engine('services.get', { names: [worker] })).items?.[0]?.Status).toBe('Stopped');
    // A start that does not come from the page (a cmdlet's): only the socket can tell the page.
    const framesBefore = traffic.framesIn.length;
    // (Latency is bench/dashboard.mjs's: here the dashboard shares the test's process and its engine calls.)
    await engine('services.start', { names: [worker] });
    await waitStatus(page, worker, 'Running', 5_000);
    const live = traffic.messages().filter((m) => m.type === 'services');
    expect(traffic.framesIn.length).toBeGreaterThan(framesBefore);
    expect(live.some((m) => (m.items as Row[]).some((s) => s.Name === worker && s.Status === 'Running'))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(await statusOf(page, worker)).toBe('Running');
  });

  it('follows new lines of a service\'s real log file; a <script> in a line is shown as text and never runs', async () => {
    const { backend } = names();
    const file = join(stack.p.dir, 'logs', backend, 'output.log');
    expect(existsSync(file), `${file} (the PM2 log of the running backend)`).toBe(true);
    await open(page, 'logs');
    await chooseLogService(page, backend);
    const marker = `browser-test line ${Date.now()}`;
    appendFileSync(file, `${marker}\n`);
    await waitText(page, '[data-log-line]', marker);
    const attack = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> ${marker} attack`;
    appendFileSync(file, `${attack}\n`);
    await waitText(page, '[data-log-line]', '<script>window.__pwned=1</script>');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.$$eval('[data-log-line] script, [data-log-line] img', (e) => e.length)).toBe(0);
    const shown = await page.$$eval('[data-log-line]', (e) => e.map((x) => x.textContent ?? ''));
    expect(shown.some((t) => t.includes(`${marker} attack`) && t.includes('<img src=x onerror='))).toBe(true);
    await shoot(page, 'logs');
  });

  /** Picks the service on the Logs page (its select, #log-service) and waits until the server follows its log for the page. */
  async function chooseLogService(p: Page, service: string): Promise<void> {
    await p.waitForSelector(`#log-service option[value="${service}"]`, { timeout: STEP_MS });
    await p.select('#log-service', service);
    const following = () => traffic.messages().some((m) => m.type === 'following' && m.service === service);
    expect(await waitFor(following, STEP_MS), 'the server says it follows the log').toBe(true);
  }

  it('the overview (a running service\'s CPU and memory from its process) and the configuration (masked) at both widths', async () => {
    await open(page, 'overview');
    await waitStatus(page, names().backend, 'Running');
    const cell = (label: string) => page.$eval(`[data-service="${names().backend}"] td[data-label="${label}"]`, (td) => td.textContent ?? '');
    await page.waitForFunction((n) => /\d%$/.test(document.querySelector(`[data-service="${n}"] td[data-label="CPU"]`)?.textContent ?? ''), { timeout: STEP_MS }, names().backend);
    expect(await cell('CPU')).toMatch(/^\d+(\.\d)?%$/);
    const mb = Number(/^(\d+) MB$/.exec(await cell('Memory'))?.[1]);
    expect(mb).toBeGreaterThan(4); // a PHP process: megabytes
    expect(mb).toBeLessThan(2048);
    // The health checks (health.get takes seconds) and the last deploy are on the page before it is shot.
    await page.waitForFunction(() => !document.querySelector('[data-page="overview"]')?.textContent?.includes('Loading'), { timeout: 60_000 });
    const overview = await page.$eval('[data-page="overview"]', (e) => e.textContent ?? '');
    expect(overview).toMatch(/\d+ of \d+ checks healthy/);
    // services.get and health.get read the process list at once here: never a figure that is no number (was "CPU NaN%").
    expect(overview).not.toMatch(/NaN|undefined/);
    await shoot(page, 'overview');
    await open(page, 'config');
    await page.waitForFunction(() => document.querySelector('[data-page="config"]')?.textContent?.includes('DB_PASSWORD'), { timeout: STEP_MS });
    await shoot(page, 'config');
  });

  it('a viewer sees no action buttons, and the API refuses the actions to it (403 from fetch in the page)', async () => {
    const context: BrowserContext = await browser!.createBrowserContext();
    try {
      const viewer = await context.newPage();
      viewer.on('pageerror', (e) => pageErrors.push(String(e)));
      const viewerTraffic = await recordTraffic(viewer, dash!.origin);
      await signIn(viewer, 'viewer');
      for (const name of ['overview', 'services', 'logs', 'deploys', 'backups', 'config']) {
        await open(viewer, name);
        if (name === 'services') {
          await waitStatus(viewer, names().worker, 'Running');
          await shoot(viewer, 'services-viewer');
        }
        const actions = await viewer.$$eval('[data-action]', (e) => e.map((x) => x.getAttribute('data-action')).filter((a) => a !== 'logout'));
        expect({ page: name, actions }).toEqual({ page: name, actions: [] });
        htmls.push(await viewer.content());
      }
      // The admin pages are not even offered.
      expect(await viewer.$$eval('a[href="#/users"], a[href="#/audit"]', (e) => e.length)).toBe(0);
      const refused = await viewer.evaluate(async (worker: string) => {
        const { csrfToken } = await (await fetch('/api/session')).json();
        const post = async (url: string, body?: unknown) => {
          const r = await fetch(url, {
            method: 'POST', headers: { 'x-csrf-token': csrfToken, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
          });
          return `${r.status} ${(await r.json()).error}`;
        };
        return {
          stop: await post(`/api/services/${worker}/stop`), start: await post(`/api/services/${worker}/start`), restart: await post(`/api/services/${worker}/restart`),
          deploy: await post('/api/deploys', {}), user: await post('/api/users', { name: 'mallory', role: 'admin', password: 'Mallory-pass-0004' }),
        };
      }, names().worker);
      const forbidden = '403 Forbidden';
      expect(refused).toEqual({ stop: forbidden, start: forbidden, restart: forbidden, deploy: forbidden, user: forbidden });
      expect((await engine('services.get', { names: [names().worker] })).items?.[0]?.Status).toBe('Running');
      await viewerTraffic.settled();
      expect(viewerTraffic.unread).toEqual([]);
      traffic.bodies.push(...viewerTraffic.bodies);
      traffic.framesIn.push(...viewerTraffic.framesIn);
    } finally {
      await context.close();
    }
  });

  it('no secret of the configuration is in any page, response or WebSocket frame', async () => {
    await traffic.settled();
    expect(traffic.unread).toEqual([]);
    const secrets = [SECRETS.db, SECRETS.reverbKey, SECRETS.reverbSecret, ...appKey(stack.p.dir)];
    // What was looked at: the pages, the API's answers (the masked configuration among them) and the live frames.
    expect(htmls.length).toBeGreaterThanOrEqual(10);
    expect(traffic.bodies.some((b) => b.includes('/api/config') && b.includes('DB_PASSWORD'))).toBe(true);
    expect(traffic.framesIn.length).toBeGreaterThan(5);
    const leaks = (where: string, texts: string[]) => texts.flatMap((t, i) => secrets.filter((s) => t.includes(s)).map(() => `${where} #${i}: ${t.slice(0, 120)}`));
    expect([...leaks('page', htmls), ...leaks('response', traffic.bodies), ...leaks('frame', traffic.framesIn)]).toEqual([]);
    // And the pages' scripts never failed on the way.
    expect(pageErrors).toEqual([]);
  });
}, { missing });

/** The Laravel APP_KEY the deploy wrote into the backend's .env (a secret too), if there is one. */
function appKey(dir: string): string[] {
  const env = join(dir, 'apps', 'woosoo-nexus', '.env');
  const m = existsSync(env) ? /^APP_KEY=(.+)$/m.exec(readFileSync(env, 'utf8')) : null;
  return m ? [m[1].replace(/^["']|["']$/g, '')] : [];
}

