import type { TableDescription } from './driver.js';
import { commentField, oneLine, show } from './internal/text.js';
import type { TableDescriptionJson } from './schemas.js';

/**
 * Converts a driver's table description to its snake_case JSON. Names are kept exactly (they are
 * what a query must use); comments, which are free text anyone with DDL rights wrote, lose
 * invisible, bidi and control characters (`stripUnsafeText`). Absent optional fields are left out.
 *
 * @param table - from `driver.describeTable`
 * @returns the JSON shape of `describe_table`
 */
export function tableDescriptionToJson(table: TableDescription): TableDescriptionJson {
  return {
    ...(table.schema !== undefined ? { schema: table.schema } : {}),
    name: table.name,
    type: table.type,
    ...commentField(table.comment),
    columns: table.columns.map((column) => ({
      name: column.name,
      type: column.type,
      nullable: column.nullable,
      ...(column.default !== undefined ? { default: column.default } : {}),
      ...commentField(column.comment),
    })),
    primary_key: [...table.primaryKey],
    foreign_keys: table.foreignKeys.map((key) => ({
      ...(key.name !== undefined ? { name: key.name } : {}),
      columns: [...key.columns],
      ...(key.referencedSchema !== undefined ? { referenced_schema: key.referencedSchema } : {}),
      referenced_table: key.referencedTable,
      referenced_columns: [...key.referencedColumns],
      ...(key.onUpdate !== undefined ? { on_update: key.onUpdate } : {}),
      ...(key.onDelete !== undefined ? { on_delete: key.onDelete } : {}),
    })),
    indexes: table.indexes.map((index) => ({
      name: index.name,
      columns: [...index.columns],
      unique: index.unique,
      ...(index.definition !== undefined ? { definition: index.definition } : {}),
    })),
    constraints: table.constraints.map(({ name, type, definition }) => ({ name, type, definition })),
  };
}

/**
 * Renders a table description as compact text in the manner of psql's `\d`: a title line, one
 * line per column (name, type, `not null`, `default ...`, `-- comment`), then indexes, foreign
 * keys and other constraints. Names are shown with `sanitizeName` (a name cannot forge a line).
 *
 * @param table - the JSON description
 * @returns the text
 * @example
 * // Table "public.users" (table)
 * //   id     integer  not null  default nextval('users_id_seq'::regclass)
 * //   email  text     not null
 * // Primary key: (id)
 */
export function renderTableDescription(table: TableDescriptionJson): string {
  const lines = [`${capitalize(table.type)} "${qualified(table.schema, table.name)}"`];
  if (table.comment) lines.push(`  -- ${oneLine(table.comment)}`);
  const nameWidth = Math.max(0, ...table.columns.map((column) => show(column.name).length));
  const typeWidth = Math.max(0, ...table.columns.map((column) => column.type.length));
  for (const column of table.columns) {
    const parts = [`  ${show(column.name).padEnd(nameWidth)}  ${column.type.padEnd(typeWidth)}`];
    if (!column.nullable) parts.push('not null');
    if (column.default !== undefined) parts.push(`default ${oneLine(column.default)}`);
    if (column.comment) parts.push(`-- ${oneLine(column.comment)}`);
    lines.push(parts.join('  ').trimEnd());
  }
  if (table.primary_key.length > 0) lines.push(`Primary key: (${list(table.primary_key)})`);
  section(
    lines,
    'Indexes',
    table.indexes.map(
      (index) =>
        `"${show(index.name)}"${index.unique ? ' UNIQUE' : ''} ${oneLine(index.definition ?? `(${list(index.columns)})`)}`,
    ),
  );
  section(
    lines,
    'Foreign keys',
    table.foreign_keys.map((key) => {
      const target = qualified(key.referenced_schema, key.referenced_table);
      const actions = [
        key.on_update ? ` ON UPDATE ${key.on_update}` : '',
        key.on_delete ? ` ON DELETE ${key.on_delete}` : '',
      ].join('');
      const name = key.name ? `"${show(key.name)}" ` : '';
      return `${name}(${list(key.columns)}) REFERENCES ${target}(${list(key.referenced_columns)})${actions}`;
    }),
  );
  section(
    lines,
    'Constraints',
    table.constraints.map(
      (constraint) => `"${show(constraint.name)}" ${constraint.type} ${oneLine(constraint.definition)}`,
    ),
  );
  return lines.join('\n');
}

function section(lines: string[], title: string, entries: string[]): void {
  if (entries.length === 0) return;
  lines.push(`${title}:`, ...entries.map((entry) => `  ${entry}`));
}

function qualified(schema: string | undefined, name: string): string {
  return schema === undefined ? show(name) : `${show(schema)}.${show(name)}`;
}

function list(names: readonly string[]): string {
  return names.map(show).join(', ');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
