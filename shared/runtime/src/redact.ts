/** Bounds and patterns for {@link redactArguments}. */
export interface RedactOptions {
  /** Strings longer than this many characters are replaced by their length (default 256). */
  maxStringLength?: number;
  /** Nesting depth kept; deeper values become `[nested]` (default 4). */
  maxDepth?: number;
  /** Array items and object keys kept per level; the rest are counted (default 32). */
  maxEntries?: number;
}

/** Words that make a key a credential's (`access_token`, `apiKey`, `client-secret`): its value is redacted. */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'auth',
  'authorization',
  'cookie',
  'credential',
  'credentials',
  'signature',
  'privatekey',
  'sessionid',
]);

function isSecretKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return words.some(
    (word, index) => SECRET_WORDS.has(word) || SECRET_WORDS.has(`${word}${words[index + 1] ?? ''}`),
  );
}

/** Keys whose values are bodies (file contents, messages, patches): replaced by their size. */
const BODY_KEY =
  /^(content|contents|body|text|message|messages|blocks|patch|diff|edits|new_text|old_text|newText|oldText|data|attachments)$/;

/** String values that look like credentials whatever their key (GitHub, Slack, OpenAI-style keys, JWTs, PEM). */
const SECRET_VALUE =
  /^(gh[pousr]_|github_pat_|xox[abposre]-|xapp-|sk-|Bearer\s|Basic\s|eyJ[\w-]{8,}\.[\w-]{8,}\.|-----BEGIN )/;

/**
 * Copies a tool call's arguments for an audit log: credentials are redacted by key (a key with
 * the word `token`, `password`, `secret`, `authorization`, `api_key`, ...) and by shape (`ghp_…`, `xoxb-…`, JWTs, PEM blocks); bodies
 * (`content`, `body`, `text`, `message`, `patch`, ...) and any string longer than
 * `maxStringLength` are replaced by their length; nesting and list lengths are bounded. The
 * input is not modified.
 *
 * @param value - the validated arguments (any JSON value)
 * @param options - bounds
 * @returns a JSON-safe copy fit for the audit log
 * @example
 * redactArguments({ path: 'a.txt', content: 'x'.repeat(5000), token: 'ghp_x' })
 * // → { path: 'a.txt', content: '[5000 chars]', token: '[redacted]' }
 */
export function redactArguments(value: unknown, options: RedactOptions = {}): unknown {
  const limits = {
    maxStringLength: options.maxStringLength ?? 256,
    maxDepth: options.maxDepth ?? 4,
    maxEntries: options.maxEntries ?? 32,
  };
  return redact(value, 0, limits);
}

function redact(value: unknown, depth: number, limits: Required<RedactOptions>): unknown {
  if (typeof value === 'string') {
    if (SECRET_VALUE.test(value)) return '[redacted]';
    return value.length > limits.maxStringLength ? `[${value.length} chars]` : value;
  }
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? value.toString() : value;
  }
  if (depth >= limits.maxDepth) return '[nested]';
  if (Array.isArray(value)) {
    const kept = value.slice(0, limits.maxEntries).map((item) => redact(item, depth + 1, limits));
    if (value.length > limits.maxEntries) kept.push(`[${value.length - limits.maxEntries} more]`);
    return kept;
  }
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [key, item] of entries.slice(0, limits.maxEntries)) {
    if (isSecretKey(key)) out[key] = '[redacted]';
    else if (BODY_KEY.test(key)) out[key] = describeSize(item);
    else out[key] = redact(item, depth + 1, limits);
  }
  if (entries.length > limits.maxEntries) out['…'] = `[${entries.length - limits.maxEntries} more keys]`;
  return out;
}

function describeSize(value: unknown): string {
  if (typeof value === 'string') return `[${value.length} chars]`;
  if (Array.isArray(value)) return `[${value.length} items]`;
  return '[redacted]';
}
