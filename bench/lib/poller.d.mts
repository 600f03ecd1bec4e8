// Types of poller.mjs for the TypeScript tests (tsconfig has no allowJs); keep in step with its JSDoc.

/** A failed request: `at` is ms since start when it was sent; reason 'status 502', an error code, 'ETIMEDOUT' or 'backlog'. */
export interface Failure {
  at: number;
  reason: string;
}

/** A WebSocket outage in ms since start; backAt null when it was still down at stop(). */
export interface Outage {
  lostAt: number;
  backAt: number | null;
  ms: number;
}

export interface WsSummary {
  connects: number;
  outages: Outage[];
  maxReconnectMs: number;
}

export interface Summary {
  requests: number;
  ok: number;
  failed: number;
  /** The first 50. */
  failures: Failure[];
  /** Failed requests by reason, all of them. */
  reasons: Record<string, number>;
  errorWindowMs: number;
  longestErrorRunMs: number;
  durationMs: number;
  ws: WsSummary | null;
}

export interface PollerOptions {
  url: string;
  intervalMs?: number;
  timeoutMs?: number;
  /** Requests in flight beyond which a tick is a 'backlog' failure (20). */
  maxInFlight?: number;
  /** A Pusher-protocol WebSocket to keep connected, e.g. ws://127.0.0.1:8088/app/KEY?protocol=7&client=js&version=8.4.0&flash=false */
  ws?: { url: string };
}

export interface Poller {
  /** Stops ticking, waits for the requests in flight (up to timeoutMs), closes the WebSocket. */
  stop(): Promise<Summary>;
  snapshot(): Summary;
}

export function startPoller(options: PollerOptions): Poller;
export function formatSummary(summary: Summary): string;
