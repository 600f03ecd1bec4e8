/**
 * What a method handler gets besides its params: the PowerShell session's environment and location at the time
 * of the call, a cancellation signal ($/cancel or engine shutdown), and the notifications it may send back
 * ($/progress, $/log, $/items), all tied to the request that is running.
 */
import { redact, redactDeep, registerSecrets } from '../util/redact';

export type LogLevel = 'error' | 'warning' | 'info' | 'verbose' | 'debug';

export interface ProgressUpdate {
  /** Progress record id (an integer, unique within the request); 1 when omitted. */
  id?: number;
  parentId?: number;
  activity: string;
  status?: string;
  percent?: number;
  completed?: boolean;
}

export interface SessionContext {
  /** The PowerShell session's environment variables, as sent with the last $/context. */
  env: Record<string, string>;
  /** The session's current file-system location. */
  cwd: string;
}

export type Notify = (method: string, params: Record<string, unknown>) => void;

export class RequestContext {
  readonly requestId: string | number;
  readonly signal: AbortSignal;
  readonly env: Record<string, string>;
  readonly cwd: string;
  private readonly notify: Notify;
  private readonly checkItems: (items: unknown[]) => void;

  /** `checkItems` throws when a streamed item does not fit the method's item schema (the server passes it). */
  constructor(requestId: string | number, session: SessionContext, signal: AbortSignal, notify: Notify, checkItems: (items: unknown[]) => void = () => {}) {
    this.requestId = requestId;
    this.checkItems = checkItems;
    this.env = session.env;
    this.cwd = session.cwd;
    this.signal = signal;
    this.notify = notify;
  }

  progress(update: ProgressUpdate): void {
    const params: Record<string, unknown> = {
      requestId: this.requestId,
      id: update.id ?? 1,
      activity: redact(update.activity),
      status: redact(update.status ?? ''),
      completed: update.completed ?? false,
    };
    if (update.parentId !== undefined) params.parentId = update.parentId;
    if (update.percent !== undefined) params.percent = Math.max(0, Math.min(100, Math.round(update.percent)));
    this.notify('$/progress', params);
  }

  log(level: LogLevel, message: string): void {
    this.notify('$/log', { requestId: this.requestId, level, message: redact(message) });
  }

  /** Masks these values in everything the engine sends out from now on (secrets the request has learned). */
  registerSecrets(values: Iterable<string>): void {
    registerSecrets(values);
  }

  /** Streams typed objects to the pipeline before the request completes (large or endless results). */
  emit(items: unknown[]): void {
    if (items.length === 0) return;
    this.checkItems(items);
    this.notify('$/items', { requestId: this.requestId, items: redactDeep(items) });
  }

  /** Throws the engine's cancellation error if the request was cancelled. */
  throwIfCancelled(): void {
    if (this.signal.aborted) throw this.signal.reason;
  }
}
