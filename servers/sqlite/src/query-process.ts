import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Logger, ToolError } from '@bulwark/runtime';
import type {
  ExecuteRequest,
  QueryRequest,
  WorkerFatal,
  WorkerOptions,
  WorkerReply,
  WorkerRequest,
} from './protocol.js';

/** Time and cancellation for one request. */
export interface RunOptions {
  /** Wall-clock limit of the statement once it runs, and of its wait in the queue, in milliseconds. */
  timeoutMs: number;
  /** Aborts when the client cancels the request. */
  signal: AbortSignal;
}

interface Job {
  request: WorkerRequest;
  resolve(reply: WorkerReply): void;
  reject(error: Error): void;
  /** Called when the request is sent: the statement's own time limit starts. */
  start(): void;
  /** Clears the timer and the abort listener. */
  settle(): void;
}

const WORKER_PATH = fileURLToPath(new URL('./worker.js', import.meta.url));

/**
 * Runs statements in one warm query process (`worker.ts`) and stops any that outlive their
 * limit by killing the process (SIGKILL), then starts a fresh one.
 *
 * Requests are served one at a time, in order: better-sqlite3 is synchronous, so one process runs
 * one statement at a time anyway, and a queue keeps a burst of calls from starting a burst of
 * processes. A statement gets its whole time limit once it runs, and a call waits in the queue at
 * most as long again, so every call is answered within twice its limit even behind a runaway
 * statement. A killed `execute` never commits: its
 * transaction dies with the process, and SQLite rolls it back from the journal.
 */
export class QueryProcess {
  private child: ChildProcess | undefined;
  private current: Job | undefined;
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private readonly killOnExit = () => {
    this.child?.kill('SIGKILL');
  };

  /**
   * Starts the first query process once the server has started: after the current turn of the
   * event loop, which answers a request already waiting on stdin (`initialize`) first. The first
   * call then rarely waits for the process, and startup never does (forking, and a second Node.js
   * starting beside the server, delayed the `initialize` answer by 8-10 ms, about 8%). A call
   * that comes first starts the process itself.
   *
   * @param options - the database file and whether to open it for writing
   * @param logger - stderr logger
   */
  constructor(
    private readonly options: WorkerOptions,
    private readonly logger: Logger,
  ) {
    // A server that exits (stdin closed, SIGTERM) must not leave a busy query process behind.
    process.on('exit', this.killOnExit);
    setImmediate(() => {
      if (!this.child && !this.closed) this.spawn();
    }).unref();
  }

  /**
   * Sends one request and waits for its reply.
   *
   * @param request - the statement and its limits
   * @param options - time limit and cancellation
   * @returns the reply (a failure reply is a resolved value, not a rejection)
   * @throws ToolError when the limit passes, the client cancels, the process dies or the
   *   database cannot be opened
   */
  run(request: QueryRequest | ExecuteRequest, { timeoutMs, signal }: RunOptions): Promise<WorkerReply> {
    const what = request.op === 'query' ? 'query' : 'statement';
    if (this.closed) return Promise.reject(new ToolError('The server is shutting down.'));
    if (signal.aborted) return Promise.reject(new ToolError(`The ${what} was cancelled.`));
    return new Promise<WorkerReply>((resolve, reject) => {
      const seconds = formatSeconds(timeoutMs);
      let timer: NodeJS.Timeout;
      const onAbort = () => this.abandon(job, new ToolError(`The ${what} was cancelled.`));
      const job: Job = {
        request: { ...request, id: this.nextId++ },
        resolve,
        reject,
        start: () => {
          clearTimeout(timer);
          timer = setTimeout(
            () =>
              this.abandon(
                job,
                new ToolError(
                  `The ${what} ran past its ${seconds} limit and was stopped; narrow it or raise --timeout.`,
                ),
              ),
            timeoutMs,
          );
        },
        settle: () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
        },
      };
      timer = setTimeout(
        () =>
          this.abandon(
            job,
            new ToolError(
              `The ${what} waited ${seconds} behind other statements and did not run; try again.`,
            ),
          ),
        timeoutMs,
      );
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** Fails every waiting call and kills the query process. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new ToolError('The server is shutting down.');
    for (const job of [...this.queue, ...(this.current ? [this.current] : [])]) {
      job.settle();
      job.reject(error);
    }
    this.queue.length = 0;
    this.current = undefined;
    this.kill();
    process.off('exit', this.killOnExit);
  }

  /** Sends the next queued request when the process is idle. */
  private pump(): void {
    if (this.current || this.closed) return;
    const job = this.queue.shift();
    if (!job) {
      // Idle: the channel must not keep the server alive on its own.
      this.child?.channel?.unref();
      return;
    }
    const child = this.child ?? this.spawn();
    this.current = job;
    job.start();
    child.channel?.ref();
    child.send(job.request, (error) => {
      if (error && this.current === job) this.fail(child, 'could not be reached');
    });
  }

  /** Gives up on a call (time limit or cancellation); a running statement takes its process with it. */
  private abandon(job: Job, error: ToolError): void {
    if (job === this.current) {
      this.current = undefined;
      this.kill();
      if (!this.closed) this.spawn();
    } else {
      const index = this.queue.indexOf(job);
      if (index === -1) return;
      this.queue.splice(index, 1);
    }
    job.settle();
    job.reject(error);
    this.pump();
  }

  private spawn(): ChildProcess {
    // Loaded on first use: node:child_process (and the ESM view of it an import would build) is
    // not needed before the first query process starts.
    const { fork } = process.getBuiltinModule('node:child_process');
    const child = fork(WORKER_PATH, [JSON.stringify(this.options)], {
      // stdout is the MCP channel of the server: the query process must never write to it.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
      execArgv: [],
    });
    this.child = child;
    child.unref();
    child.channel?.unref();
    child.on('message', (message: WorkerReply | WorkerFatal) => this.onMessage(child, message));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.fail(child, `exited (${signal ?? `code ${code}`})`);
    });
    child.on('error', (error) => {
      this.logger.warning('query process error', error);
      if (this.child === child) this.fail(child, 'failed');
    });
    return child;
  }

  private onMessage(child: ChildProcess, message: WorkerReply | WorkerFatal): void {
    if (this.child !== child) return;
    if ('fatal' in message) {
      this.logger.error(`the query process cannot open the database: ${message.fatal}`);
      const job = this.current;
      this.current = undefined;
      this.kill();
      if (job) {
        job.settle();
        job.reject(new ToolError(`The database cannot be opened: ${message.fatal}`));
      }
      this.pump();
      return;
    }
    const job = this.current;
    if (!job || job.request.id !== message.id) return;
    this.current = undefined;
    job.settle();
    job.resolve(message);
    this.pump();
  }

  /** The process died or cannot be reached: fail the running call, start afresh on the next one. */
  private fail(child: ChildProcess, what: string): void {
    if (this.child === child) this.child = undefined;
    child.kill('SIGKILL');
    const job = this.current;
    if (!job || this.closed) return;
    this.logger.warning(`the query process ${what} while running a statement`);
    this.current = undefined;
    job.settle();
    job.reject(
      new ToolError('The query process stopped unexpectedly while running the statement; try again.'),
    );
    this.pump();
  }

  private kill(): void {
    const child = this.child;
    this.child = undefined;
    child?.kill('SIGKILL');
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
