/**
 * Prometheus metrics of one HTTP server, through prom-client on a registry of its own (two
 * servers in one process never mix figures). Loaded only with `--http`.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AuthFailureReason } from './auth.js';

/** How a tool call ended, as the `outcome` label of `bulwark_tool_calls_total`. */
export type CallOutcome = 'ok' | 'error' | 'rate_limited' | 'input_required';

/** The metrics one HTTP server keeps; see {@link createMetrics}. */
export interface HttpMetrics {
  /** Content type of {@link HttpMetrics.render}'s text (Prometheus text format 0.0.4). */
  readonly contentType: string;
  /** Records one finished tool call; `seconds` is its wall time. */
  observeCall(tool: string, outcome: CallOutcome, seconds: number): void;
  /** Records one finished HTTP request by route (`mcp`, `healthz`, ...) and status code. */
  observeRequest(route: string, status: number, seconds: number): void;
  /** Counts a refused authentication. */
  countAuthFailure(reason: AuthFailureReason): void;
  /** Sets the number of requests in flight. */
  setInflight(count: number): void;
  /** Sets whether the shared rate-limit store is reachable (1) or the in-memory fallback serves (0). */
  setRateLimitStoreUp(up: boolean): void;
  /** The exposition text for `GET /metrics`. */
  render(): Promise<string>;
}

/** Latency buckets in seconds, from 1 ms to a minute. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Creates the registry and its metrics:
 * - `bulwark_tool_calls_total{tool,outcome}` counter (outcome: ok, error, rate_limited, input_required)
 * - `bulwark_tool_errors_total{tool}` counter (calls that ended with `isError` or were rate limited)
 * - `bulwark_tool_call_duration_seconds{tool}` histogram
 * - `bulwark_http_requests_total{route,status}` counter and `bulwark_http_request_duration_seconds{route}` histogram
 * - `bulwark_http_inflight_requests` gauge, `bulwark_auth_failures_total{reason}` counter,
 *   `bulwark_rate_limit_store_up` gauge
 * - the process metrics of prom-client's default collector (`process_*`, `nodejs_*`)
 *
 * Every series carries the label `server` (e.g. `bulwark-filesystem`).
 *
 * @param server - the server name
 * @returns the metrics
 */
export function createMetrics(server: string): HttpMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ server });
  collectDefaultMetrics({ register: registry });
  const calls = new Counter({
    name: 'bulwark_tool_calls_total',
    help: 'Tool calls by tool and outcome.',
    labelNames: ['tool', 'outcome'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'bulwark_tool_errors_total',
    help: 'Tool calls that ended in an error result or were rate limited.',
    labelNames: ['tool'],
    registers: [registry],
  });
  const callSeconds = new Histogram({
    name: 'bulwark_tool_call_duration_seconds',
    help: 'Tool call latency in seconds.',
    labelNames: ['tool'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const requests = new Counter({
    name: 'bulwark_http_requests_total',
    help: 'HTTP requests by route and status code.',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: 'bulwark_http_request_duration_seconds',
    help: 'HTTP request latency in seconds, by route.',
    labelNames: ['route'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const inflight = new Gauge({
    name: 'bulwark_http_inflight_requests',
    help: 'HTTP requests being served.',
    registers: [registry],
  });
  const authFailures = new Counter({
    name: 'bulwark_auth_failures_total',
    help: 'Refused authentications by reason.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const storeUp = new Gauge({
    name: 'bulwark_rate_limit_store_up',
    help: '1 while the shared rate-limit store answers, 0 while the in-memory fallback serves.',
    registers: [registry],
  });
  storeUp.set(1);
  return {
    contentType: registry.contentType,
    observeCall(tool, outcome, seconds) {
      calls.inc({ tool, outcome });
      if (outcome === 'error' || outcome === 'rate_limited') errors.inc({ tool });
      callSeconds.observe({ tool }, seconds);
    },
    observeRequest(route, status, seconds) {
      requests.inc({ route, status: String(status) });
      requestSeconds.observe({ route }, seconds);
    },
    countAuthFailure: (reason) => authFailures.inc({ reason }),
    setInflight: (count) => inflight.set(count),
    setRateLimitStoreUp: (up) => storeUp.set(up ? 1 : 0),
    render: () => registry.metrics(),
  };
}
