/**
 * A realistic sample database that the project generates itself, the same for SQLite and
 * PostgreSQL: a small shop with customers, products, orders and order lines (foreign keys, a
 * unique index, a check constraint, comments in PostgreSQL) and a few thousand rows from a seeded
 * generator, so every run and every engine holds identical data.
 */

/** Row counts of the sample database. */
export const SAMPLE_SIZES = { customers: 500, products: 120, orders: 2000, orderItems: 6000 } as const;

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'Ken',
  'Radia',
  'Tim',
  'Margaret',
  'Linus',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Perlman',
  'Lee',
];
const CITIES = ['Lisbon', 'Oslo', 'Kyoto', 'Lagos', 'Lima', 'Perth', 'Quebec', 'Tallinn', 'Vienna', 'Austin'];
const CATEGORIES = ['books', 'garden', 'kitchen', 'music', 'outdoor', 'tools', 'toys'];
const STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'cancelled'];

/** Mulberry32: a tiny seeded PRNG, so the data is the same on every machine. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The sample rows, as arrays in column order. */
export interface SampleRows {
  customers: [number, string, string, string, string][];
  products: [number, string, string, number, number][];
  orders: [number, number, string, string][];
  orderItems: [number, number, number, number, number][];
}

/** Generates the sample rows (deterministic). */
export function sampleRows(): SampleRows {
  const random = generator(20261121);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const rows: SampleRows = { customers: [], products: [], orders: [], orderItems: [] };
  for (let id = 1; id <= SAMPLE_SIZES.customers; id++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 700) * 86_400_000);
    rows.customers.push([
      id,
      `${first} ${last}`,
      `${first}.${last}.${id}@example.com`.toLowerCase(),
      pick(CITIES),
      day.toISOString().slice(0, 10),
    ]);
  }
  for (let id = 1; id <= SAMPLE_SIZES.products; id++) {
    const category = pick(CATEGORIES);
    rows.products.push([
      id,
      `${category} item ${id}`,
      category,
      Math.round((2 + random() * 198) * 100) / 100,
      Math.floor(random() * 500),
    ]);
  }
  for (let id = 1; id <= SAMPLE_SIZES.orders; id++) {
    const placed = new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 320 * 86_400_000));
    rows.orders.push([
      id,
      1 + Math.floor(random() * SAMPLE_SIZES.customers),
      placed.toISOString(),
      pick(STATUSES),
    ]);
  }
  for (let id = 1; id <= SAMPLE_SIZES.orderItems; id++) {
    const product = 1 + Math.floor(random() * SAMPLE_SIZES.products);
    const price = rows.products[product - 1]?.[3] ?? 1;
    rows.orderItems.push([
      id,
      1 + Math.floor(random() * SAMPLE_SIZES.orders),
      product,
      1 + Math.floor(random() * 5),
      price,
    ]);
  }
  return rows;
}

/** DDL of the sample schema for one dialect. */
export function sampleSchema(dialect: 'sqlite' | 'postgres'): string[] {
  const money = dialect === 'postgres' ? 'numeric(10,2)' : 'REAL';
  const time = dialect === 'postgres' ? 'timestamptz' : 'TEXT';
  const date = dialect === 'postgres' ? 'date' : 'TEXT';
  const statements = [
    `CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL, email text NOT NULL UNIQUE, city text, joined_on ${date} NOT NULL)`,
    `CREATE TABLE products (id integer PRIMARY KEY, name text NOT NULL, category text NOT NULL, price ${money} NOT NULL CHECK (price > 0), stock integer NOT NULL DEFAULT 0)`,
    `CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers(id) ON DELETE CASCADE, placed_at ${time} NOT NULL, status text NOT NULL DEFAULT 'pending')`,
    `CREATE TABLE order_items (id integer PRIMARY KEY, order_id integer NOT NULL REFERENCES orders(id) ON DELETE CASCADE, product_id integer NOT NULL REFERENCES products(id), quantity integer NOT NULL CHECK (quantity > 0), unit_price ${money} NOT NULL)`,
    'CREATE INDEX orders_customer_idx ON orders (customer_id)',
    'CREATE INDEX order_items_order_idx ON order_items (order_id)',
    'CREATE VIEW order_totals AS SELECT o.id AS order_id, o.customer_id, o.status, sum(i.quantity * i.unit_price) AS total FROM orders o JOIN order_items i ON i.order_id = o.id GROUP BY o.id, o.customer_id, o.status',
  ];
  if (dialect === 'postgres') {
    statements.push(
      "COMMENT ON TABLE customers IS 'People who have placed or may place orders'",
      "COMMENT ON COLUMN orders.status IS 'pending, paid, shipped, delivered or cancelled'",
    );
  }
  return statements;
}

/** The INSERT statements of one table with `$n` placeholders, in batches. */
export function sampleInserts(dialect: 'sqlite' | 'postgres'): { sql: string; params: unknown[] }[] {
  const rows = sampleRows();
  const tables: [string, unknown[][]][] = [
    ['customers', rows.customers],
    ['products', rows.products],
    ['orders', rows.orders],
    ['order_items', rows.orderItems],
  ];
  const batches: { sql: string; params: unknown[] }[] = [];
  for (const [table, tableRows] of tables) {
    for (let start = 0; start < tableRows.length; start += 200) {
      const chunk = tableRows.slice(start, start + 200);
      const width = chunk[0]?.length ?? 0;
      let n = 0;
      const values = chunk
        .map(
          () =>
            `(${Array.from({ length: width }, () => (dialect === 'postgres' ? `$${++n}` : '?')).join(', ')})`,
        )
        .join(', ');
      batches.push({ sql: `INSERT INTO ${table} VALUES ${values}`, params: chunk.flat() });
    }
  }
  return batches;
}

/**
 * Writes the sample database to a new SQLite file.
 *
 * @param file - path of the file to create (must not exist)
 */
export async function createSampleSqlite(file: string): Promise<void> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file);
  try {
    db.pragma('foreign_keys = ON');
    db.transaction(() => {
      for (const statement of sampleSchema('sqlite')) db.prepare(statement).run();
      for (const batch of sampleInserts('sqlite')) db.prepare(batch.sql).run(...batch.params);
    })();
  } finally {
    db.close();
  }
}

/**
 * Loads the sample database into an empty PostgreSQL database.
 *
 * @param url - connection string of the (empty) database
 */
export async function seedSamplePostgres(url: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const statement of sampleSchema('postgres')) await client.query(statement);
    for (const batch of sampleInserts('postgres')) await client.query(batch.sql, batch.params);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
