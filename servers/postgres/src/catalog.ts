/**
 * Catalog queries. Every identifier the client names is bound as a value ($1, $2), never
 * interpolated into the SQL text.
 */

/** Schemas the current role can use, without the system ones. */
export const LIST_SCHEMAS = `
SELECT n.nspname AS name, pg_get_userbyid(n.nspowner) AS owner, obj_description(n.oid, 'pg_namespace') AS comment
FROM pg_namespace n
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
  AND has_schema_privilege(n.oid, 'USAGE')
ORDER BY 1`;

/** Tables, views and the like; $1 is a schema name or NULL for every non-system schema. */
export const LIST_TABLES = `
SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS kind,
       c.reltuples::float8 AS estimate, obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p')
  AND NOT c.relispartition
  AND (CASE WHEN $1::text IS NULL
            THEN n.nspname NOT IN ('pg_catalog', 'information_schema')
                 AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
            ELSE n.nspname = $1::text END)
ORDER BY 1, 2`;

/** Whether schema $1 exists. */
export const SCHEMA_EXISTS = `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1::text) AS exists`;

/** Relations named $1, in schema $2 (or any schema when NULL), visible ones first. */
export const FIND_TABLE = `
SELECT c.oid::int8::text AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind,
       obj_description(c.oid, 'pg_class') AS comment, pg_table_is_visible(c.oid) AS visible
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname = $1::text AND c.relkind IN ('r', 'v', 'm', 'f', 'p')
  AND ($2::text IS NULL OR n.nspname = $2::text)
ORDER BY pg_table_is_visible(c.oid) DESC, n.nspname`;

/** Columns of relation $1 (oid). */
export const TABLE_COLUMNS = `
SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
       pg_get_expr(d.adbin, d.adrelid) AS default, col_description(a.attrelid, a.attnum) AS comment
FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`;

/** Constraints of relation $1 (oid) with their columns and, for foreign keys, the referenced ones. */
export const TABLE_CONSTRAINTS = `
SELECT con.conname AS name, con.contype::text AS type, pg_get_constraintdef(con.oid) AS definition,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, i)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.i) AS columns,
       fn.nspname AS ref_schema, fc.relname AS ref_table,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, i)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.i) AS ref_columns,
       con.confupdtype::text AS on_update, con.confdeltype::text AS on_delete
FROM pg_constraint con
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.conrelid = $1::oid
ORDER BY con.conname`;

/** Indexes of relation $1 (oid) with their key columns or expressions. */
export const TABLE_INDEXES = `
SELECT i.relname AS name, ix.indisunique AS unique, pg_get_indexdef(ix.indexrelid) AS definition,
       ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true) FROM generate_series(1, ix.indnkeyatts) k ORDER BY k) AS columns
FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid
WHERE ix.indrelid = $1::oid
ORDER BY 1`;

/** Type names for result column type OIDs ($1 is an int array). */
export const TYPE_NAMES = `SELECT oid::int AS oid, format_type(oid, NULL) AS name FROM pg_type WHERE oid = ANY($1::oid[])`;

/** What the connected role may do: for the least-privilege warning at startup. */
export const ROLE_PRIVILEGES = `
SELECT current_user AS role, r.rolsuper AS superuser, r.rolcreaterole OR r.rolcreatedb AS can_create,
       EXISTS (
         SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
           AND n.nspname NOT LIKE 'pg\\_toast%'
           AND (has_table_privilege(c.oid, 'INSERT') OR has_table_privilege(c.oid, 'UPDATE')
                OR has_table_privilege(c.oid, 'DELETE') OR has_table_privilege(c.oid, 'TRUNCATE'))
       ) AS can_write
FROM pg_roles r WHERE r.rolname = current_user`;

/** libpq's one-letter referential actions, spelled out. */
export const REFERENTIAL_ACTIONS: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

/** pg_class.relkind letters as TableSummary types. */
export const RELATION_KINDS = {
  r: 'table',
  v: 'view',
  m: 'materialized view',
  f: 'foreign table',
  p: 'partitioned table',
} as const;
