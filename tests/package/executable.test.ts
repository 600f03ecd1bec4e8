// The Linux single executable (npm run package → dist/linux-x64/woosoo-engine) over the wire, started as
// private/Engine.ps1 starts it (no node options) and with no node on PATH: it must answer alone, and a method that
// runs a Node script must find the system node on PATH, or fail with Woosoo.NodeNotFound when there is none.
import { readFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs modules shared with the benchmarks and the package script
import { startEngine } from '../../bench/lib/engine.mjs';
// @ts-expect-error idem
import { packageTarget } from '../../scripts/package.mjs';
import { ROOT } from '../support/engine';

const work = mkdtempSync(join(tmpdir(), 'woosoo-package-'));
const noNode = join(work, 'empty-path');
const withNode = join(work, 'node-path');
const demo = join(work, 'demo');
let exe = '';
const engines: { close: () => Promise<unknown> }[] = [];

function start(pathDir: string) {
  const e = startEngine({ executable: exe, env: { PATH: pathDir, HOME: work, WOOSOO_ENGINE_TEST_METHODS: '1' } });
  engines.push(e);
  return e;
}

describe('the single executable for linux-x64', () => {
  beforeAll(() => {
    // Built from bin/woosoo-engine.cjs (global setup builds it), or reused when dist/ holds one of the same inputs.
    // A failed build fails the suite, in CI and out of it: node and postject are all it needs, and both are here.
    exe = packageTarget('linux-x64');
    cpSync(join(ROOT, 'examples', 'demo'), demo, { recursive: true });
    for (const d of [noNode, withNode]) mkdirSync(d);
    symlinkSync(process.execPath, join(withNode, 'node'));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.close()));
    rmSync(work, { recursive: true, force: true });
  });

  it('answers initialize and config.get on a copy of the demo with no node on PATH', async () => {
    const e = start(noNode);
    const init = await e.call('initialize', { protocolVersion: '1.0', client: { name: 'tests', version: '0' } });
    expect(init.result).toMatchObject({ protocolVersion: '1.0', engineVersion: expect.any(String) });
    const r = await e.call('config.get', { path: demo });
    expect(r.result.items[0]).toMatchObject({ $type: 'Config', HTTP_PORT: 8088, DB_PASSWORD: '********' });
  });

  it('runs with the node options of bin/engine-launch.json, given in NODE_OPTIONS as the module gives them', async () => {
    const e = start(noNode);
    await e.call('initialize', { protocolVersion: '1.0' });
    const info = await e.call('engine.info');
    const options = JSON.parse(readFileSync(join(ROOT, 'bin', 'engine-launch.json'), 'utf8')).nodeArguments;
    expect(info.result.value.execArgv).toEqual(options);
  });

  it('runs a Node script with the node on PATH, not with itself', async () => {
    const e = start(withNode);
    await e.call('initialize', { protocolVersion: '1.0' });
    const r = await e.call('test.sleep', { seconds: 0.1 });
    expect(r.error).toBeUndefined();
    expect(r.result).toMatchObject({ value: 'slept' });
  });

  it('says that it needs node on PATH, as a Woosoo error, when there is none', async () => {
    const e = start(noNode);
    await e.call('initialize', { protocolVersion: '1.0' });
    const r = await e.call('test.sleep', { seconds: 0.1 });
    expect(r.error?.data).toMatchObject({ errorId: 'NodeNotFound', category: 'NotInstalled', targetObject: 'node' });
    expect(r.error?.data?.recommendedAction).toMatch(/node.*PATH/);
  });
});
