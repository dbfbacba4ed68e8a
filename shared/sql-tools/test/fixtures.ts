import type { TableDescription } from '../src/driver.js';
import { type ArrayTable, simpleTable } from './array-driver.js';

/** `items(id integer, name text)` with `count` rows: `[n, 'item n']`. */
export function itemsTable(count = 25): ArrayTable {
  return {
    description: simpleTable('items', [
      ['id', 'integer'],
      ['name', 'text'],
    ]),
    rows: Array.from({ length: count }, (_, index) => [index + 1, `item ${index + 1}`]),
  };
}

/** A fully described `orders` table: keys, an index, a check and comments. */
export const ORDERS: TableDescription = {
  schema: 'shop',
  name: 'orders',
  type: 'table',
  comment: 'One row per order\u202E (bidi override removed)',
  columns: [
    { name: 'id', type: 'integer', nullable: false, default: "nextval('orders_id_seq'::regclass)" },
    { name: 'item_id', type: 'integer', nullable: false },
    { name: 'quantity', type: 'integer', nullable: true, comment: 'How many' },
  ],
  primaryKey: ['id'],
  foreignKeys: [
    {
      name: 'orders_item_fk',
      columns: ['item_id'],
      referencedSchema: 'shop',
      referencedTable: 'items',
      referencedColumns: ['id'],
      onDelete: 'CASCADE',
    },
  ],
  indexes: [{ name: 'orders_item_idx', columns: ['item_id'], unique: false }],
  constraints: [{ name: 'orders_quantity_check', type: 'CHECK', definition: 'CHECK (quantity > 0)' }],
};
