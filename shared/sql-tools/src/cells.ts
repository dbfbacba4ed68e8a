import type { CellValue } from './driver.js';

/** Nesting depth past which a value is rendered with `String()` (database values never get near it). */
const MAX_DEPTH = 32;

/**
 * Converts one value from a database driver into a JSON-safe cell, so that `JSON.stringify`
 * neither throws nor silently changes it:
 *
 * - `null` and `undefined` → `null`
 * - strings and booleans → as they are
 * - finite numbers → as they are; `NaN`, `Infinity`, `-Infinity` → `"NaN"`, `"Infinity"`,
 *   `"-Infinity"` (PostgreSQL floats can hold them; JSON cannot)
 * - bigint → its decimal string (`int8` beyond 2^53 stays exact)
 * - `Date` → ISO 8601 in UTC (`2024-01-02T03:04:05.000Z`); an invalid date → `"Invalid Date"`
 * - `Buffer`, `Uint8Array`, other typed arrays and `ArrayBuffer` → `{ "$base64": "..." }`
 * - arrays → arrays of converted elements (PostgreSQL arrays)
 * - objects with a `toJSON` method → the converted result of `toJSON()`
 * - other objects (JSON columns, composite values) → plain objects with converted values
 * - anything else (functions, symbols) → `String(value)`
 *
 * A JSON column whose value is literally `{ "$base64": "..." }` looks like bytes; the column's
 * type (`bytea`, `blob` vs `json`) tells them apart.
 *
 * @param value - a value as the driver returned it
 * @returns the cell
 * @example toCell(2n ** 64n); // "18446744073709551616"
 * @example toCell(Buffer.from('hi')); // { $base64: "aGk=" }
 */
export function toCell(value: unknown): CellValue {
  return convert(value, 0) as CellValue;
}

function convert(value: unknown, depth: number): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'object':
      return depth >= MAX_DEPTH ? String(value) : convertObject(value, depth + 1);
    default:
      return String(value);
  }
}

function convertObject(value: object, depth: number): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (ArrayBuffer.isView(value)) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return { $base64: bytes.toString('base64') };
  }
  if (value instanceof ArrayBuffer) return { $base64: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map((element) => convert(element, depth));
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return convert(toJSON.call(value), depth);
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    // A key named __proto__ from a JSON column must stay a plain key, not change the prototype.
    Object.defineProperty(result, key, {
      value: convert(entry, depth),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}
