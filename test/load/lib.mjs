// Load-test helpers: a pool of MCP clients over Streamable HTTP, latency figures, free ports,
// and nginx (Debian's package, installed when missing) on loopback ports. No assertions library:
// the run fails (exit 1) when a check does not hold.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { connectHttpClient } from '@bulwark/testkit';

/** Writes one line to stdout (the figures are the output of this script). */
export function say(line = '') {
  process.stdout.write(`${line}\n`);
}

/** A whole-number setting from the environment, or its default. */
export function setting(name, fallback) {
  const value = Number(process.env[name] ?? fallback);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

/** Nearest-rank percentile of sorted numbers. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs `calls` tool calls from `clients` concurrent MCP clients (half on the 2025-11-25 era,
 * half on 2026-07-28), each call made by `makeCall(client, index)`. Clients connect before the
 * clock starts. An error is a thrown call or an `isError` result.
 *
 * @returns `{ calls, errors, samples, seconds, p50, p99, max, throughput, results }`
 */
export async function runLoad({
  url,
  token,
  clients,
  calls,
  makeCall,
  countAsError = (result) => result.isError,
}) {
  const pool = await Promise.all(
    Array.from({ length: clients }, (_, i) =>
      connectHttpClient(url, { era: i % 2 ? 'modern' : 'legacy', token }),
    ),
  );
  const latencies = new Float64Array(calls);
  const results = new Array(calls);
  let next = 0;
  let errors = 0;
  const samples = [];
  const started = performance.now();
  await Promise.all(
    pool.map(async (client) => {
      for (;;) {
        const index = next;
        next += 1;
        if (index >= calls) return;
        const t0 = performance.now();
        try {
          const result = await makeCall(client, index);
          results[index] = result;
          if (countAsError(result)) {
            errors += 1;
            if (samples.length < 5) samples.push(result.content?.[0]?.text ?? JSON.stringify(result));
          }
        } catch (error) {
          errors += 1;
          if (samples.length < 5) samples.push(String(error?.message ?? error));
        }
        latencies[index] = performance.now() - t0;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(pool.map((client) => client.close().catch(() => {})));
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  return {
    calls,
    errors,
    samples,
    seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1),
    throughput: calls / seconds,
    results,
  };
}

/** One line of figures. */
export function describeRun(label, run) {
  return `${label.padEnd(34)} ${String(run.calls).padStart(6)} calls  ${String(run.errors).padStart(4)} errors  p50 ${run.p50.toFixed(1).padStart(6)} ms  p99 ${run.p99.toFixed(1).padStart(6)} ms  max ${run.max.toFixed(0).padStart(5)} ms  ${run.throughput.toFixed(0).padStart(5)} calls/s  (${run.seconds.toFixed(1)} s)`;
}

/** The path of the nginx binary, installing Debian's package with apt-get when it is missing. */
export function ensureNginx() {
  const found = spawnSync('sh', ['-c', 'command -v nginx || ls /usr/sbin/nginx 2>/dev/null'], {
    encoding: 'utf8',
  });
  const existing = found.stdout.trim().split('\n')[0];
  if (existing) return existing;
  say("nginx is not installed; installing Debian's package with apt-get ...");
  const root = process.getuid?.() === 0;
  const run = (args) =>
    spawnSync(root ? args[0] : 'sudo', root ? args.slice(1) : args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  run(['apt-get', 'update', '-qq']);
  let result = run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'nginx']);
  if (result.status !== 0)
    result = run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'nginx-light']);
  if (result.status !== 0) throw new Error('could not install nginx with apt-get');
  // The package may start a system nginx on port 80; this benchmark runs its own on other ports.
  run(['service', 'nginx', 'stop']);
  return '/usr/sbin/nginx';
}

/**
 * Starts nginx in the foreground with a generated config: `listen 127.0.0.1:PORT`, an upstream
 * of the given instances with keep-alive, `/mcp` and the well-known documents proxied, `/metrics`
 * kept private.
 *
 * @returns `{ url, stop() }`
 */
export async function startNginx(binary, dir, upstreamPorts) {
  const port = await freePort();
  for (const sub of ['tmp', 'logs']) mkdirSync(path.join(dir, sub), { recursive: true });
  chmodSync(path.join(dir, 'tmp'), 0o777);
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 2;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  upstream bulwark {
${upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=0;`).join('\n')}
    keepalive 128;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 1m;
    location = /mcp {
      proxy_pass http://bulwark;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_buffering off;
      proxy_read_timeout 120s;
      proxy_next_upstream error timeout http_503;
    }
    location /.well-known/oauth-protected-resource {
      proxy_pass http://bulwark;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
    }
    location = /healthz { proxy_pass http://bulwark; proxy_http_version 1.1; proxy_set_header Connection ""; }
    location / { return 404; }
  }
}
`,
  );
  const child = spawn(binary, ['-p', dir, '-c', conf, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const url = `http://127.0.0.1:${port}/mcp`;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null)
      throw new Error(`nginx exited: ${stderr}${safeRead(path.join(dir, 'logs/error.log'))}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) break;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGQUIT');
      }),
  };
}

function safeRead(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The value of one series in Prometheus text (0 when absent). */
export function metricValue(text, pattern) {
  const line = text.split('\n').find((candidate) => pattern.test(candidate));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
