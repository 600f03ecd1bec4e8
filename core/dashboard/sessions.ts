/**
 * The dashboard's sessions and login limits, in memory (a restart logs everyone out). A session id and its CSRF
 * token are 32 random bytes each; a session ends after `idleMs` without a request or `absoluteMs` after login,
 * whichever comes first. Logins are limited per account and per address: after `maxFailures` failures in
 * `windowMs`, the account (or address) is locked for `lockMs`, even for the right password. The clock is injected
 * so that the tests expire sessions and locks without sleeping.
 */
import { randomBytes } from 'node:crypto';
import type { Role } from './users';

export type Clock = () => number;

export interface SessionLimits {
  idleMs: number;
  absoluteMs: number;
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const DEFAULT_LIMITS: SessionLimits = {
  idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000, maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000,
};

export interface Session {
  id: string;
  csrf: string;
  user: string;
  role: Role;
  created: number;
  seen: number;
}

const token = () => randomBytes(32).toString('base64url');

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly ended = new Set<(s: Session) => void>();
  /** Whether the session's user still exists with that role (users.json may change under a running dashboard). */
  valid: (s: Session) => boolean = () => true;

  constructor(private readonly limits: SessionLimits, private readonly clock: Clock) {}

  create(user: string, role: Role): Session {
    const now = this.clock();
    const s: Session = { id: token(), csrf: token(), user, role, created: now, seen: now };
    this.sessions.set(s.id, s);
    return s;
  }

  /** The live session of this id (its idle time restarts), or undefined: unknown, idle too long or too old. */
  touch(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    const now = this.clock();
    if (this.expired(s, now)) {
      this.drop(s);
      return undefined;
    }
    s.seen = now;
    return s;
  }

  /** Whether the session is still live, without restarting its idle time (a live socket asks this). */
  alive(id: string): boolean {
    const s = this.sessions.get(id);
    if (s && this.expired(s, this.clock())) this.drop(s);
    return this.sessions.has(id);
  }

  end(id: string): void {
    const s = this.sessions.get(id);
    if (s) this.drop(s);
  }

  /** Ends every session of a user (its password or role changed, or it was removed). */
  endUser(user: string): void {
    for (const s of [...this.sessions.values()]) if (s.user.toLowerCase() === user.toLowerCase()) this.drop(s);
  }

  /** Calls `listener` with each session that ends (logout, expiry, its user replaced or removed). */
  onEnd(listener: (s: Session) => void): void {
    this.ended.add(listener);
  }

  private expired(s: Session, now: number): boolean {
    return now - s.seen > this.limits.idleMs || now - s.created > this.limits.absoluteMs || !this.valid(s);
  }

  private drop(s: Session): void {
    this.sessions.delete(s.id);
    for (const l of this.ended) l(s);
  }
}

/** Above this many accounts and addresses counted, the stale ones are forgotten (the map cannot grow without end). */
const MAX_TRACKED = 10_000;

interface Failures {
  times: number[];
  lockedUntil: number;
}

export class LoginLimiter {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly limits: SessionLimits, private readonly clock: Clock) {}

  /** Milliseconds until the first locked key unlocks, or 0 when none of the keys is locked. */
  lockedFor(keys: readonly string[]): number {
    const now = this.clock();
    return Math.max(0, ...keys.map((k) => (this.failures.get(k)?.lockedUntil ?? 0) - now));
  }

  /**
   * Starts a login attempt: false when a key is locked; otherwise the attempt is counted as a failure at once (before
   * the slow password check), so that a burst of parallel guesses cannot all pass before the first one fails.
   * `succeed` clears the count of a right password.
   */
  attempt(keys: readonly string[]): boolean {
    if (this.lockedFor(keys) > 0) return false;
    this.fail(keys);
    return true;
  }

  fail(keys: readonly string[]): void {
    const now = this.clock();
    if (this.failures.size > MAX_TRACKED) this.prune(now);
    for (const k of keys) {
      const f = this.failures.get(k) ?? { times: [], lockedUntil: 0 };
      f.times = [...f.times.filter((t) => now - t < this.limits.windowMs), now];
      if (f.times.length >= this.limits.maxFailures) {
        f.lockedUntil = now + this.limits.lockMs;
        f.times = [];
      }
      this.failures.set(k, f);
    }
  }

  succeed(keys: readonly string[]): void {
    for (const k of keys) this.failures.delete(k);
  }

  /** Forgets the keys that are neither locked nor have a failure in the window (many names tried once). */
  private prune(now: number): void {
    for (const [k, f] of this.failures) {
      if (f.lockedUntil <= now && f.times.every((t) => now - t >= this.limits.windowMs)) this.failures.delete(k);
    }
  }
}
