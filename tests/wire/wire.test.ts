/** Integration tests over the real wire: the built engine, spoken to line by line as the module does. */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineClient, ROOT } from '../support/engine';

const clients: EngineClient[] = [];
async function engine(opts: Parameters<typeof EngineClient.start>[0] = {}): Promise<EngineClient> {
  const c = await EngineClient.start(opts);
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

const demo = join(ROOT, 'examples', 'demo');

describe('handshake', () => {
  it('answers initialize with protocol and engine versions and the method list', async () => {
    const c = new EngineClient();
    clients.push(c);
    const r = await c.request('initialize', { protocolVersion: '1.0' });
    expect(r.result).toMatchObject({ protocolVersion: '1.0', engineVersion: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(r.result!.methods).toEqual(expect.arrayContaining(['config.get', 'config.test', 'engine.ping']));
  });

  it('refuses a different protocol major version with a clear error', async () => {
    const c = new EngineClient();
    clients.push(c);
    const r = await c.request('initialize', { protocolVersion: '2.0' });
    expect(r.error?.data).toMatchObject({ errorId: 'ProtocolMismatch', category: 'ProtocolError' });
    expect(r.error?.data?.recommendedAction).toMatch(/same release/);
  });

  it('refuses methods before initialize', async () => {
    const c = new EngineClient();
    clients.push(c);
    const r = await c.request('engine.ping');
    expect(r.error).toMatchObject({ code: -32002, data: { errorId: 'NotInitialized' } });
  });
});

describe('malformed input', () => {
  it('answers garbage, wrong shapes and bad params with JSON-RPC errors and keeps serving', async () => {
    const c = await engine();
    const parse = c.reply(null);
    c.sendLine('this is not json');
    expect((await parse).error).toMatchObject({ code: -32700, data: { errorId: 'ProtocolParseError' } });

    const shape = c.reply(null);
    c.sendLine('{"hello":"world"}');
    expect((await shape).error).toMatchObject({ code: -32600 });

    const badParams = c.reply(77);
    c.sendLine('{"jsonrpc":"2.0","id":77,"method":"config.get","params":{"path":42,"names":"x","reveal":"yes"}}');
    const bad = (await badParams).error!;
    expect(bad.code).toBe(-32602);
    // every problem is listed, not just the first
    expect(bad.message).toContain('params.path');
    expect(bad.message).toContain('params.names');
    expect(bad.message).toContain('params.reveal');
    expect(bad.data).toMatchObject({ errorId: 'InvalidParams', category: 'InvalidArgument' });

    const unknown = await c.request('no.such.method');
    expect(unknown.error?.code).toBe(-32601);

    expect((await c.call('engine.ping')).value).toBe('pong');
    // nothing but JSON-RPC ever appeared on stdout
    for (const line of c.stdoutLines) expect(JSON.parse(line).jsonrpc).toBe('2.0');
  });

  it('tolerates a UTF-8 BOM, CRLF and blank lines', async () => {
    const c = await engine();
    const r = c.reply(5);
    c.sendLine('');
    c.sendLine('\uFEFF{"jsonrpc":"2.0","id":5,"method":"engine.ping","params":{}}\r');
    expect((await r).result?.value).toBe('pong');
  });
});

describe('notifications', () => {
  it('sends $/log at every level, $/progress and streamed $/items, tied to the request', async () => {
    const c = await engine();
    const id = c.peekNextId();
    const result = await c.call('test.notify', { message: 'hello', items: 4 });
    const mine = c.notifications.filter((n) => n.params?.requestId === id);
    expect(mine.filter((n) => n.method === '$/log').map((n) => n.params!.level)).toEqual(['error', 'warning', 'info', 'verbose', 'debug']);
    expect(mine.find((n) => n.method === '$/progress')!.params).toMatchObject({ activity: 'Testing', status: 'hello', percent: 50, id: 1, completed: false });
    const streamed = mine.filter((n) => n.method === '$/items').flatMap((n) => n.params!.items as unknown[]);
    expect(streamed.length + result.items!.length).toBe(4);
  });
});

describe('cancellation and engine death', () => {
  it('$/cancel stops the request and kills its child process', async () => {
    const c = await engine();
    const id = c.peekNextId();
    const reply = c.request('test.sleep', { seconds: 60 });
    // wait until the child has started (it logs its pid)
    let childPid = 0;
    for (let i = 0; i < 100 && !childPid; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const log = c.notifications.find((n) => n.method === '$/log' && String(n.params?.message).startsWith('child pid'));
      if (log) childPid = Number(String(log.params!.message).split(' ').pop());
    }
    expect(childPid).toBeGreaterThan(0);
    c.notify('$/cancel', { id });
    const r = await reply;
    expect(r.error).toMatchObject({ code: -32800, data: { errorId: 'Cancelled', category: 'OperationStopped' } });
    await new Promise((res) => setTimeout(res, 300));
    expect(() => process.kill(childPid, 0)).toThrow();
    expect((await c.call('engine.ping')).value).toBe('pong'); // still serving
  });

  it('exits when its stdin closes, cancelling what runs', async () => {
    const c = new EngineClient();
    await c.request('initialize', { protocolVersion: '1.0' });
    void c.request('test.sleep', { seconds: 60 });
    await new Promise((r) => setTimeout(r, 300));
    c.child.stdin.end();
    const { code } = await c.exited;
    expect(code).toBe(0);
  });

  it('an engine killed mid-request closes stdout, which is how the module detects it', async () => {
    const c = new EngineClient();
    await c.request('initialize', { protocolVersion: '1.0' });
    void c.request('test.sleep', { seconds: 60 });
    await new Promise((r) => setTimeout(r, 200));
    c.child.kill('SIGKILL');
    const { signal } = await c.exited;
    expect(signal).toBe('SIGKILL');
    expect(c.child.stdout.readableEnded || c.child.stdout.destroyed).toBe(true);
  });
});

describe('configuration over the wire', () => {
  it('config.get returns one typed Woosoo.Config with secrets masked, and reveals on request', async () => {
    const c = await engine({ cwd: demo });
    const r = await c.call('config.get', {});
    expect(r.items).toHaveLength(1);
    const cfg = r.items![0];
    expect(cfg).toMatchObject({ $type: 'Config', ENVIRONMENT: 'production', HTTP_PORT: 8088, DB_PORT: 33306, DB_PASSWORD: '********', APP_DEBUG: false });
    expect(JSON.stringify(r)).not.toContain('demo-Passw0rd#1');
    const revealed = await c.call('config.get', { reveal: true, names: ['DB_PASS*'] });
    expect(revealed.items).toEqual([expect.objectContaining({ $type: 'ConfigValue', Name: 'DB_PASSWORD', Value: 'demo-Passw0rd#1', Secret: true, Source: 'File' })]);
  });

  it('config.get -Name with wildcards returns Woosoo.ConfigValue objects; an unknown name is ObjectNotFound', async () => {
    const c = await engine({ cwd: demo });
    const r = await c.call('config.get', { names: ['DB_*'] });
    expect(r.items!.map((i) => i.Name)).toEqual(['DB_CONNECTION', 'DB_HOST', 'DB_PORT', 'DB_DATABASE', 'DB_USERNAME', 'DB_PASSWORD']);
    const missing = await c.request('config.get', { names: ['NOPE_*'] });
    expect(missing.error?.data).toMatchObject({ errorId: 'ConfigKeyNotFound', category: 'ObjectNotFound' });
  });

  it('uses the session environment sent with $/context (WOOSOO_PROJECT), without a restart', async () => {
    const c = await engine({ cwd: tmpdir() });
    const none = await c.request('config.get', {});
    expect(none.error?.data).toMatchObject({ errorId: 'ConfigNotFound', category: 'ObjectNotFound' });
    c.notify('$/context', { cwd: tmpdir(), env: { ...process.env, WOOSOO_PROJECT: demo } as Record<string, string> });
    const r = await c.call('config.get', { names: ['APP_NAME'] });
    expect(r.items![0].Value).toBe('Woosoo Demo');
  });

  it('config.test lists problems with lines; quiet gives a boolean, false for a missing project', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'woosoo-wire-'));
    mkdirSync(join(dir, 'apps'));
    writeFileSync(join(dir, 'deployment.config.env'), 'ENVIRONMENT=prod\nAPP_IP=10.0.0.1\nDB_PASSWORD=hunter2\n');
    const c = await engine({ cwd: dir });
    const r = await c.call('config.test', {});
    const rules = r.items!.map((i) => `${i.Key}:${i.Rule}`);
    expect(rules).toEqual(expect.arrayContaining(['ENVIRONMENT:Type', 'DB_PASSWORD:PasswordLength', 'DB_DATABASE:Required']));
    expect(r.items!.every((i) => i.$type === 'ConfigProblem')).toBe(true);
    expect(JSON.stringify(r)).not.toContain('hunter2');
    expect((await c.call('config.test', { quiet: true })).value).toBe(false);
    expect((await c.call('config.test', { quiet: true, path: demo })).value).toBe(true);
    expect((await c.call('config.test', { quiet: true, path: join(dir, 'nope') })).value).toBe(false);
  });

  it('a syntax error in the file is the ConfigInvalid every cmdlet gives, naming the file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'woosoo-wire-'));
    writeFileSync(join(dir, 'deployment.config.env'), 'ENVIRONMENT=production\nDB_PASSWORD="unterminated\n');
    const c = await engine({ cwd: dir });
    const r = await c.request('config.get', {});
    expect(r.error?.data).toMatchObject({ errorId: 'ConfigInvalid', category: 'InvalidData' });
    expect(r.error?.message).toMatch(/deployment\.config\.env line 2/);
  });
});
