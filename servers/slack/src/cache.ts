/**
 * A bounded map with least-recently-used eviction and a time to live: at most `maxEntries`
 * entries, each forgotten `ttlMs` after it was set. Used for the names the server learns from
 * Slack (users, channels), so memory stays bounded in a workspace of any size and a rename is
 * picked up within the TTL.
 *
 * @typeParam K - key type
 * @typeParam V - value type
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, { value: V; expires: number }>();

  /**
   * @param maxEntries - most entries kept (>= 1); the least recently used goes first
   * @param ttlMs - milliseconds an entry stays valid after it was set
   * @param now - clock in milliseconds, for tests
   */
  constructor(
    readonly maxEntries: number,
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Entries currently held (expired ones included until they are touched or evicted). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The value of a live entry, marking it most recently used.
   *
   * @returns the value, or undefined when absent or expired (an expired entry is dropped)
   */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expires <= this.now()) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Sets a value (most recently used), evicting the least recently used entries over the bound. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expires: this.now() + this.ttlMs });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }

  /** Forgets one entry. */
  delete(key: K): void {
    this.#entries.delete(key);
  }
}
