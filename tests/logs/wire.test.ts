/**
 * logs.get over the real wire (bin/woosoo-engine.cjs), on fixture files and on logs written by real programs:
 * php's built-in server, nginx run with a private prefix, Laravel's Monolog formatter driven by php, and a writer
 * process that appends to and rotates a file while the engine follows it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient, type RpcMessage } from '../support/engine';
import { makeNginxPrefix, startNginx, type NginxPrefix, type RunningNginx } from '../harness/nginx';
import { freePort } from '../harness/ports';
import { hasTool, skipUnless, waitFor, which } from '../harness/tools';
import { makeProject, makeStackProject, type Project } from './fixtures';

type Item = Record<string, unknown>;
/** Debian's Laravel framework (php-laravel-framework) brings Monolog, which Laravel 8 logs through. */
const MONOLOG = '/usr/share/php/Illuminate/autoload.php';
const clients: EngineClient[] = [];
async function engine(): Promise<EngineClient> {
  const c = await EngineClient.start();
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

async function items(c: EngineClient, params: Record<string, unknown>): Promise<{ items: Item[]; reply: RpcMessage }> {
  const id = c.peekNextId();
  const reply = await c.request('logs.get', params);
  const streamed = c.notifications.filter((n) => n.method === '$/items' && n.params?.requestId === id).flatMap((n) => n.params!.items as Item[]);
  return { items: [...streamed, ...(reply.result?.items ?? [])], reply };
}

function streamedItems(c: EngineClient, id: number): Item[] {
  return c.notifications.filter((n) => n.method === '$/items' && n.params?.requestId === id).flatMap((n) => n.params!.items as Item[]);
}

describe('logs.get on fixture files', () => {
  let p: Project;
  beforeAll(() => {
    p = makeStackProject();
    p.write('logs/queue/output.log', '[2026-02-15 14:29:59][1] Processing: App\\Jobs\\PrintOrder\n');
  });
  afterAll(() => p.cleanup());

  it('merges every service in time order as typed Woosoo.LogEntry objects', async () => {
    const c = await engine();
    const { items: all, reply } = await items(c, { path: p.dir });
    expect(reply.error).toBeUndefined();
    expect(all).toHaveLength(1 + 4 + 3 + 3);
    expect(all[0]).toMatchObject({ $type: 'LogEntry', Service: 'queue', Level: 'Info', Line: 1, Source: join(p.dir, 'logs/queue/output.log') });
    const times = all.map((i) => Date.parse(i.Timestamp as string));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(Object.keys(all[0])).toEqual(['$type', 'Timestamp', 'Service', 'Level', 'Message', 'Source', 'Line']);
    const trace = all.find((i) => i.Service === 'laravel' && i.Level === 'Error')!;
    expect(trace.Message).toContain('#2 {main}');
    expect(trace.Line).toBe(2);
  });

  it('-Tail, -Level, -Pattern and -Service together', async () => {
    const c = await engine();
    const { items: got } = await items(c, { path: p.dir, services: ['nginx', 'lara*'], level: 'Warning', tail: 3 });
    expect(got.map((i) => `${i.Service}:${i.Level}:${new Date(i.Timestamp as string).getSeconds()}`)).toEqual(['nginx:Warning:7', 'nginx:Warning:8', 'laravel:Warning:9']);
    const { items: refused } = await items(c, { path: p.dir, pattern: 'connection refused' });
    expect(refused.map((i) => i.Service)).toEqual(['laravel', 'nginx']);
  });

  it('-Since/-Until select a window', async () => {
    const c = await engine();
    const at = (s: number) => new Date(2026, 1, 15, 14, 30, s).toISOString();
    const { items: got } = await items(c, { path: p.dir, since: at(6), until: at(8) });
    expect(got.map((i) => new Date(i.Timestamp as string).getSeconds())).toEqual([6, 6, 7, 8]);
  });

  it('an unknown service among known ones is a non-terminating error; only unknown ones fail the call', async () => {
    const c = await engine();
    const { items: got, reply } = await items(c, { path: p.dir, services: ['queue', 'nope'] });
    expect(got).toHaveLength(1);
    expect(reply.result?.errors).toEqual([expect.objectContaining({ data: expect.objectContaining({ errorId: 'LogServiceNotFound', targetObject: 'nope' }) })]);
    const none = await c.request('logs.get', { path: p.dir, services: ['nope'] });
    expect(none.error?.data).toMatchObject({ errorId: 'LogServiceNotFound', category: 'ObjectNotFound' });
    expect(none.error?.message).toMatch(/Services with logs: laravel, nginx, queue|Services with logs: nginx, queue, laravel/);
  });

  it('a bad -Pattern or time fails with a clear error and nothing else', async () => {
    const c = await engine();
    const bad = await c.request('logs.get', { path: p.dir, pattern: '([' });
    expect(bad.error?.data).toMatchObject({ errorId: 'LogPatternInvalid', category: 'InvalidArgument' });
    const time = await c.request('logs.get', { path: p.dir, since: 'yesterday-ish' });
    expect(time.error?.data).toMatchObject({ errorId: 'InvalidParams' });
    expect(time.error?.message).toContain('params.since');
  });

  it('masks secrets of the configuration that appear in a log', async () => {
    p.write('logs/leaky/output.log', 'connecting with password fixture-Passw0rd\n');
    const c = await engine();
    const { items: got } = await items(c, { path: p.dir, services: ['leaky'] });
    expect(got[0].Message).toBe('connecting with password ********');
  });
});

describe.skipIf(skipUnless(hasTool('php'), 'php is not installed (run bash scripts/setup.sh)'))('logs written by real php', () => {
  let p: Project;
  let server: ChildProcess;
  let port: number;
  beforeAll(async () => {
    p = makeProject();
    mkdirSync(join(p.dir, 'logs', 'backend'), { recursive: true });
    const docroot = join(p.dir, 'public');
    mkdirSync(docroot);
    writeFileSync(join(docroot, 'index.php'), '<?php echo "ok";');
    port = await freePort();
    const fd = openSync(join(p.dir, 'logs', 'backend', 'error.log'), 'a');
    server = spawn(which('php')!, ['-S', `127.0.0.1:${port}`, '-t', docroot], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const up = await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/`).catch(() => null))?.ok, 10_000);
    expect(up).toBe(true);
    await fetch(`http://127.0.0.1:${port}/nothing-here.php`);
    // Laravel 8's logger: Monolog's LineFormatter with Laravel's date format and stack traces (Debian's framework).
    const script = `require_once "${MONOLOG}";
      $l = new Monolog\\Logger("production"); $h = new Monolog\\Handler\\StreamHandler($argv[1]);
      $f = new Monolog\\Formatter\\LineFormatter(null, "Y-m-d H:i:s", true, true); $f->includeStacktraces(); $h->setFormatter($f); $l->pushHandler($h);
      function printReceipt() { throw new RuntimeException("Printer offline"); }
      $l->info("Order placed", ["table" => 4]);
      try { printReceipt(); } catch (Exception $e) { $l->error($e->getMessage(), ["exception" => $e]); }
      $l->warning("Queue is slow");`;
    if (existsSync(MONOLOG)) {
      const php = spawn(which('php')!, ['-r', script, join(p.backend, 'storage', 'logs', 'laravel.log')], { stdio: 'ignore' });
      await new Promise((r) => php.on('exit', r));
    }
  });
  afterAll(() => {
    server?.kill('SIGKILL');
    p?.cleanup();
  });

  it('reads php -S request lines with their times and levels', async () => {
    const c = await engine();
    const got = await waitFor(async () => {
      const r = (await items(c, { path: p.dir, services: ['backend'] })).items;
      return r.some((i) => String(i.Message).includes('/nothing-here.php')) ? r : null;
    }, 5000);
    expect(got).toBeTruthy();
    const missing = got!.find((i) => String(i.Message).includes('[404]: GET /nothing-here.php'));
    expect(missing).toBeTruthy();
    expect(Math.abs(Date.parse(missing!.Timestamp as string) - Date.now())).toBeLessThan(60_000);
    expect(got!.find((i) => String(i.Message).includes('Development Server'))).toBeTruthy();
  });

  it.skipIf(skipUnless(existsSync(MONOLOG), 'Debian\'s php-laravel-framework is not installed (run bash scripts/setup.sh)'))('reads the Laravel log with the stack trace inside the error entry', async () => {
    const c = await engine();
    const { items: got } = await items(c, { path: p.dir, services: ['laravel'] });
    expect(got.map((i) => i.Level)).toEqual(['Info', 'Error', 'Warning']);
    expect(got[1].Message).toMatch(/^Printer offline/);
    expect(got[1].Message).toContain('[stacktrace]');
    expect(got[1].Message).toMatch(/#0 .*printReceipt\(\)/);
    expect(got[2].Line).toBe((got[1].Message as string).split('\n').length + 2);
    const { items: hit } = await items(c, { path: p.dir, services: ['laravel'], pattern: 'printReceipt', tail: 5 });
    expect(hit).toHaveLength(1);
    expect(hit[0].Level).toBe('Error');
  });
});

describe.skipIf(skipUnless(hasTool('nginx'), 'nginx is not installed (run bash scripts/setup.sh)'))('logs written by real nginx', () => {
  let p: Project;
  let prefix: NginxPrefix;
  let nginx: RunningNginx;
  let port: number;
  beforeAll(async () => {
    p = makeProject();
    prefix = makeNginxPrefix();
    mkdirSync(join(p.dir, 'logs'), { recursive: true });
    symlinkSync(join(prefix.dir, 'logs'), join(p.dir, 'logs', 'nginx'));
    port = await freePort();
    mkdirSync(join(prefix.dir, 'html'));
    chmodSync(prefix.dir, 0o755); // nginx's workers run as nobody
    writeFileSync(join(prefix.dir, 'html', 'index.html'), 'hello');
    const conf = prefix.writeConf(`server {\n  listen 127.0.0.1:${port};\n  root ${join(prefix.dir, 'html')};\n}`);
    nginx = await startNginx(conf, prefix.dir, port);
    await fetch(`http://127.0.0.1:${port}/`);
    await fetch(`http://127.0.0.1:${port}/missing.png`);
  });
  afterAll(async () => {
    await nginx?.stop();
    prefix?.cleanup();
    p?.cleanup();
  });

  it('parses nginx\'s own access and error lines', async () => {
    const c = await engine();
    const got = await waitFor(async () => {
      const r = (await items(c, { path: p.dir, services: ['nginx'] })).items;
      return r.length >= 3 ? r : null;
    }, 5000);
    expect(got).toBeTruthy();
    const ok = got!.find((i) => String(i.Message).includes('"GET / HTTP/1.1" 200'));
    expect(ok).toMatchObject({ Level: 'Info', Source: join(p.dir, 'logs', 'nginx', 'access.log') });
    expect(got!.find((i) => String(i.Message).includes('"GET /missing.png HTTP/1.1" 404'))).toMatchObject({ Level: 'Warning' });
    const err = got!.find((i) => String(i.Source).endsWith('error.log') && String(i.Message).includes('missing.png'));
    expect(err).toMatchObject({ Level: 'Error' });
    expect(String(err!.Message)).toMatch(/^open\(\) ".*missing\.png" failed \(2: No such file or directory\)/);
    expect(Math.abs(Date.parse(ok!.Timestamp as string) - Date.now())).toBeLessThan(60_000);
  });
});

/** rename-gap: renamed away, and the new live file appears only 400 ms later (the follower sees the old file under its new name). */
type Rotation = 'rename' | 'rename-gap' | 'truncate';

/** A separate process that appends numbered lines, renames the live file away (NSSM-style) or truncates it, and goes on. */
function writer(file: string, count: number, rotateAt: number, how: Rotation): ChildProcess {
  const code = `
    const fs = require('fs'); const [file, count, rotateAt, how] = [process.argv[1], +process.argv[2], +process.argv[3], process.argv[4]];
    let i = 0;
    const tick = () => {
      fs.appendFileSync(file, 'line ' + i + '\\n');
      if (++i >= count) return;
      if (i !== rotateAt) return setTimeout(tick, 15);
      // copy-and-truncate loses what was written just before the truncation and not read yet (as tail -F does):
      // the pause before rotating stands for the copy.
      setTimeout(() => {
        if (how === 'truncate') fs.truncateSync(file, 0);
        else fs.renameSync(file, file.replace(/\\.log$/, '-20260215T143000.000.log'));
        setTimeout(tick, how === 'rename-gap' ? 400 : 0);
      }, 150);
    };
    tick();`;
  return spawn(process.execPath, ['-e', code, file, String(count), String(rotateAt), how], { stdio: 'ignore' });
}

function openLogFds(pid: number, dir: string): string[] {
  return readdirSync(`/proc/${pid}/fd`).map((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      return '';
    }
  }).filter((t) => t.startsWith(dir));
}

describe('-Wait follows a file another process appends to and rotates', () => {
  for (const how of ['rename', 'rename-gap', 'truncate'] as const) {
    it(`every line exactly once, across a ${how} rotation; cancelling ends the follow and closes the files`, async () => {
      const p = makeProject();
      try {
        const file = p.write('logs/worker/output.log', 'before 1\nbefore 2\n');
        const c = await engine();
        const id = c.peekNextId();
        const reply = c.request('logs.get', { path: p.dir, services: ['worker'], wait: true });
        // the initial tail arrives first, then the follow is armed
        expect(await waitFor(() => streamedItems(c, id).length === 2, 5000)).toBe(true);
        const w = writer(file, 40, 20, how);
        const writerDone = new Promise((r) => w.on('exit', r));
        const got = await waitFor(() => {
          const msgs = streamedItems(c, id).map((i) => i.Message);
          return msgs.includes('line 39') ? msgs : null;
        }, 15_000);
        await writerDone;
        expect(got).toEqual(['before 1', 'before 2', ...Array.from({ length: 40 }, (_, i) => `line ${i}`)]);
        // Line numbers restart in the new file; Source is the live file's name (as tail -F shows it).
        const byMsg = new Map(streamedItems(c, id).map((i) => [i.Message, i]));
        expect(byMsg.get('line 19')).toMatchObject({ Line: 22, Source: file });
        expect(byMsg.get('line 20')).toMatchObject({ Line: 1, Source: file });
        expect(openLogFds(c.child.pid!, p.dir).length).toBeGreaterThan(0);
        c.notify('$/cancel', { id });
        const r = await reply;
        expect(r.error?.data).toMatchObject({ errorId: 'Cancelled', category: 'OperationStopped' });
        expect(openLogFds(c.child.pid!, p.dir)).toEqual([]);
        expect((await c.call('engine.ping')).value).toBe('pong');
      } finally {
        p.cleanup();
      }
    });
  }

  it('waits for a service log that does not exist yet, and -Until ends the follow by itself', async () => {
    const p = makeProject();
    try {
      mkdirSync(join(p.dir, 'logs', 'reverb'), { recursive: true });
      const c = await engine();
      const id = c.peekNextId();
      const reply = c.request('logs.get', { path: p.dir, services: ['reverb'], wait: true, until: new Date(Date.now() + 1500).toISOString() });
      await new Promise((r) => setTimeout(r, 300));
      p.write('logs/reverb/error.log', 'ERROR  Connection lost\n');
      const r = await reply;
      expect(r.error).toBeUndefined();
      expect(streamedItems(c, id)).toEqual([expect.objectContaining({ Message: 'ERROR  Connection lost', Level: 'Error', Line: 1 })]);
    } finally {
      p.cleanup();
    }
  });
});
