/**
 * A service that the service manager ends while it is being started is answered at once as a ServiceCrashLoop,
 * not after the whole start timeout as a ServiceStartTimeout. Seen with the real nssm64.exe under Wine on a loaded
 * machine (tests/services/nssm.test.ts, a CI run): NSSM ended a crash-looping service as SERVICE_STOPPED right after
 * Resume-WoosooService's CONTINUE, and the engine waited out the start timeout on a service nobody would start. Its
 * other way to hide the loop from a slow poll (Running with one process, then with the next, the throttle pause
 * between them never sampled) is a ServiceCrashLoop too, whether or not the first sample was already Running.
 *
 * That timing cannot be produced on demand with the real NSSM, so these tests drive control.* through a FAKE backend
 * (named as a fake: it stands in only for the Windows service manager's timing). The real NSSM and PM2 starts are
 * tested in nssm.test.ts and pm2.test.ts.
 */
import { describe, expect, it } from 'vitest';
import * as control from '../../core/services/control';
import type { ServiceBackend, ServiceDefinition, ServiceState, ServiceStatus } from '../../core/services/types';
import { defineService, makeCtx, settings } from './support';

/** A state the FAKE reports: a status, and for Running the application's process id ('Running:101'). */
type Sample = ServiceStatus | `Running:${number}`;

/** FAKE service manager: each control command plays a list of states, one per query; the last one stays. */
class Scripted implements ServiceBackend {
  readonly name = 'NSSM' as const;
  readonly rotatesLogs = true;
  private states: Sample[];
  constructor(initial: Sample, private readonly plays: Partial<Record<'start' | 'restart' | 'resume', Sample[]>>) {
    this.states = [initial];
  }
  async query(defs: readonly ServiceDefinition[]): Promise<ServiceState[]> {
    const [status, pid] = (this.states.length > 1 ? this.states.shift()! : this.states[0]).split(':');
    return defs.map((d) => ({ name: d.name, status: status as ServiceStatus, processId: pid === undefined ? undefined : Number(pid) }));
  }
  private play(verb: 'start' | 'restart' | 'resume'): void {
    this.states = [...(this.plays[verb] ?? [])];
  }
  pollMs(): number {
    return 10;
  }
  start = async () => this.play('start');
  restart = async () => this.play('restart');
  resume = async () => this.play('resume');
  install = async () => 'Updated' as const;
  stop = async () => {};
  pause = async () => {};
  remove = async () => {};
}

describe('a service ended while it starts', () => {
  const def = defineService('/nonexistent', 'wsfake-backend', 10, 'C:\\app.exe', []);
  const run = (backend: Scripted) => ({ backend, projectDir: '/nonexistent', defs: [def], settings: settings({ throttleMs: 50, startTimeoutMs: 5000 }) });

  it('Resume of a throttled service that the manager then stops is a ServiceCrashLoop at once', async () => {
    const backend = new Scripted('Throttled', { resume: ['Stopped'] });
    const began = Date.now();
    const r = await control.resumeAll(run(backend), makeCtx({}));
    expect(r.items).toEqual([]);
    expect(r.errors.map((e) => e.data.errorId)).toEqual(['ServiceCrashLoop']);
    expect(r.errors[0].message).toContain('wsfake-backend does not stay up: NSSM reports it Stopped again: it ended while starting.');
    expect(Date.now() - began).toBeLessThan(4000); // not the 5 s start timeout
  });

  it('Start of a service that comes up and is stopped by the manager is a ServiceCrashLoop at once', async () => {
    const backend = new Scripted('Stopped', { start: ['StartPending', 'Running', 'Stopped'] });
    const began = Date.now();
    const r = await control.startAll(run(backend), makeCtx({}));
    expect(r.errors.map((e) => e.data.errorId)).toEqual(['ServiceCrashLoop']);
    expect(Date.now() - began).toBeLessThan(4000);
  });

  it('Running with one process, then (after StartPending or not) with another is a ServiceCrashLoop', async () => {
    for (const start of [['StartPending', 'Running:101', 'StartPending', 'Running:102'], ['StartPending', 'Running:101', 'Running:102']] as Sample[][]) {
      const r = await control.startAll(run(new Scripted('Stopped', { start })), makeCtx({}));
      expect(r.items).toEqual([]);
      expect(r.errors.map((e) => e.message.split('.')[0])).toEqual(['wsfake-backend does not stay up: its process changed from 101 to 102 while starting']);
    }
  });

  it('a restart passing through StopPending and Stopped, or a start first seen Stopped, still ends Running', async () => {
    const restarting = new Scripted('Running:100', { restart: ['StopPending', 'Stopped', 'StartPending', 'Running:101', 'Running:101'] });
    const r = await control.restartAll(run(restarting), makeCtx({}));
    expect(r.errors).toEqual([]);
    expect(r.items.map((i) => i.status)).toEqual(['Running']);

    const slow = new Scripted('Stopped', { start: ['Stopped', 'Stopped', 'StartPending', 'Running', 'Running:7'] });
    const s = await control.startAll(run(slow), makeCtx({}));
    expect(s.errors).toEqual([]);
    expect(s.items.map((i) => i.status)).toEqual(['Running']);
  });

  it('a service that never comes up is still a ServiceStartTimeout saying its state', async () => {
    const backend = new Scripted('Stopped', { start: ['Stopped'] });
    const r = await control.startAll({ ...run(backend), settings: settings({ throttleMs: 50, startTimeoutMs: 300 }) }, makeCtx({}));
    expect(r.errors.map((e) => [e.data.errorId, e.message])).toEqual([['ServiceStartTimeout', 'wsfake-backend was not running after 0.3 s: it is Stopped.']]);
  });
});
