// fast-check arbitraries derived from a tool's inputSchema (the JSON Schema tools/list sends):
// values the schema accepts, and values it refuses together with the reason. The subset covered
// is the one Bulwark's zod schemas produce: object (properties, required, additionalProperties),
// string (minLength, maxLength, pattern, enum), integer and number (minimum, maximum), boolean,
// null, array (items, minItems, maxItems) and anyOf. Lengths follow zod's count (UTF-16 code
// units); invalid strings are ASCII, where that count and JSON Schema's (code points) agree.
import fc from 'fast-check';

/** The part of JSON Schema (2020-12) this module reads. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
}

/**
 * Changes to the generated valid values of properties, by path (`url`, `paths[]`,
 * `edits[].old_text`): an arbitrary replaces them (for fields whose random values must stay
 * inside the test's sandbox, such as a fetch URL that may only name a loopback page or an
 * address the server refuses); `{ also }` adds meaningful samples (real table names, real
 * paths) to the random ones, so calls get past the first lookup now and then.
 */
export type Overrides = Readonly<Record<string, fc.Arbitrary<unknown> | { also: readonly unknown[] }>>;

/** A value the schema refuses and why (the path and the broken rule), for counterexamples. */
export interface Invalid {
  value: unknown;
  fault: string;
}

/** How invalid strings are made: short ones, or (the huge-input property) 1–5 MB ones. */
export interface InvalidOptions {
  /** Make over-long strings 1–5 MB instead of a few characters past the limit. */
  huge?: boolean;
}

const ASCII = { unit: 'binary-ascii' } as const;
const HUGE_MIN = 1_000_000;
const HUGE_MAX = 5_000_000;

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (typeof schema.type === 'string') return [schema.type];
  if (schema.enum) return [...new Set(schema.enum.map((value) => (value === null ? 'null' : typeof value)))];
  return [];
}

/** One value of each JSON type, for "wrong type" faults. */
const SAMPLES: Record<string, fc.Arbitrary<unknown>> = {
  string: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('1', 'true', 'null', '[]')),
  integer: fc.integer({ min: -1000, max: 1000 }),
  // Fractional only, so a number sample is wrong for an integer field too.
  number: fc
    .double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })
    .filter((value) => !Number.isInteger(value)),
  boolean: fc.boolean(),
  null: fc.constant(null),
  array: fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), { maxLength: 3 }),
  object: fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), {
    maxKeys: 2,
  }),
};

/** Whether a value of JSON type `sample` is accepted by a schema that allows `types`. */
function accepts(types: string[], sample: string): boolean {
  if (types.length === 0) return true;
  if (types.includes(sample)) return true;
  // An integer is also a number; a number sample may be fractional, so number ⊄ integer.
  return sample === 'integer' && types.includes('number');
}

function wrongType(schema: JsonSchema, path: string): fc.Arbitrary<Invalid> | undefined {
  const types = typesOf(schema);
  const others = Object.keys(SAMPLES).filter((sample) => !accepts(types, sample));
  if (types.length === 0 || others.length === 0) return undefined;
  return fc
    .constantFrom(...others)
    .chain((sample) =>
      SAMPLES[sample]!.map((value) => ({ value, fault: `${path}: ${sample} for ${types}` })),
    );
}

/**
 * Values a schema accepts (within generation caps: at most 8 array items, strings of at most 64
 * characters unless the schema demands more).
 *
 * @param schema - a JSON Schema as tools/list sends it
 * @param path - the property path, for overrides (`''` for the arguments object)
 * @param overrides - arbitraries that replace generated values by path
 * @returns an arbitrary of accepted values
 */
export function validValue(schema: JsonSchema, path = '', overrides: Overrides = {}): fc.Arbitrary<unknown> {
  const override = overrides[path];
  const generated = () => generateValid(schema, path, overrides);
  if (override === undefined) return generated();
  if ('also' in override) return fc.oneof(generated(), fc.constantFrom(...override.also));
  return override;
}

function generateValid(schema: JsonSchema, path: string, overrides: Overrides): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((branch) => validValue(branch, path, overrides)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const [type] = typesOf(schema);
  switch (type) {
    case 'string':
      return validString(schema);
    case 'integer': {
      const min = Math.max(schema.minimum ?? Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER);
      const max = Math.min(schema.maximum ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
    }
    case 'number':
      return fc.double({
        noNaN: true,
        noDefaultInfinity: true,
        ...(schema.minimum === undefined ? {} : { min: schema.minimum }),
        ...(schema.maximum === undefined ? {} : { max: schema.maximum }),
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 8, 8));
      return fc.array(validValue(schema.items ?? {}, `${path}[]`, overrides), { minLength, maxLength });
    }
    case 'object':
      return validObject(schema, path, overrides);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 64, 64));
  const fits = (text: string) =>
    text.length >= (schema.minLength ?? 0) && text.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY);
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  return fc
    .oneof(
      fc.string({ minLength, maxLength }),
      fc.string({ minLength, maxLength, unit: 'binary' }),
      fc.string({ minLength, maxLength, unit: 'grapheme' }),
    )
    .filter(fits);
}

function validObject(schema: JsonSchema, path: string, overrides: Overrides): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [
      name,
      validValue(property, path ? `${path}.${name}` : name, overrides),
    ]),
  );
  const declared = fc.record(model, { requiredKeys: (schema.required ?? []).filter((key) => key in model) });
  if (schema.additionalProperties === false) return declared;
  // Undeclared properties are allowed by the schema (no additionalProperties: false): the server
  // must ignore them, never fail on them.
  const extra = fc.dictionary(
    fc.string({ minLength: 1, maxLength: 12 }).filter((key) => !(key in properties)),
    fc.jsonValue({ maxDepth: 2 }),
    { maxKeys: 2 },
  );
  return fc
    .tuple(declared, fc.option(extra, { freq: 3 }))
    .map(([known, more]) => (more ? { ...more, ...(known as object) } : known));
}

/**
 * Values a schema refuses, each with the rule it breaks: a wrong JSON type, a string too short,
 * too long or off its pattern or enum, a fractional or out-of-range number, too few or too many
 * array items, a bad item, a missing required property, a bad property, or (only where the schema
 * forbids them) an undeclared property. Every refusal breaks exactly one rule of an otherwise
 * valid value, so a server that accepts it has a validator looser than its advertised schema.
 *
 * @param schema - a JSON Schema as tools/list sends it
 * @param path - the property path, for messages and overrides
 * @param overrides - arbitraries for the valid parts (as in {@link validValue})
 * @param options - `huge: true` makes over-long strings 1–5 MB
 * @returns an arbitrary of refused values, or `undefined` when the schema refuses nothing
 */
export function invalidValue(
  schema: JsonSchema,
  path: string,
  overrides: Overrides = {},
  options: InvalidOptions = {},
): fc.Arbitrary<Invalid> | undefined {
  const faults: fc.Arbitrary<Invalid>[] = [];
  const push = (arbitrary: fc.Arbitrary<Invalid> | undefined) => {
    if (arbitrary) faults.push(arbitrary);
  };
  if (schema.anyOf) {
    const covered = schema.anyOf.flatMap(typesOf);
    push(wrongType({ type: covered }, path));
    return faults.length > 0 ? fc.oneof(...faults) : undefined;
  }
  if (!options.huge) push(wrongType(schema, path));
  if (schema.enum) {
    const allowed = new Set(schema.enum);
    if (!options.huge) {
      push(
        fc
          .string(ASCII)
          .filter((text) => !allowed.has(text))
          .map((value) => ({ value, fault: `${path}: not one of the enum` })),
      );
    }
    return faults.length > 0 ? fc.oneof(...faults) : undefined;
  }
  const [type] = typesOf(schema);
  if (type === 'string') stringFaults(schema, path, options).forEach(push);
  else if ((type === 'integer' || type === 'number') && !options.huge)
    numberFaults(schema, path, type).forEach(push);
  else if (type === 'array') arrayFaults(schema, path, overrides, options).forEach(push);
  else if (type === 'object') objectFaults(schema, path, overrides, options).forEach(push);
  return faults.length > 0 ? fc.oneof(...faults) : undefined;
}

function stringFaults(schema: JsonSchema, path: string, options: InvalidOptions): fc.Arbitrary<Invalid>[] {
  const faults: fc.Arbitrary<Invalid>[] = [];
  const max = schema.maxLength;
  if (options.huge) {
    if (max !== undefined && max < HUGE_MAX) {
      faults.push(
        fc.integer({ min: Math.max(HUGE_MIN, max + 1), max: HUGE_MAX }).map((length) => ({
          value: 'h'.repeat(length),
          fault: `${path}: ${length} characters, over maxLength ${max}`,
        })),
      );
    }
    return faults;
  }
  const min = schema.minLength ?? 0;
  if (min > 0) {
    faults.push(
      fc
        .string({ ...ASCII, maxLength: min - 1 })
        .map((value) => ({ value, fault: `${path}: under minLength ${min}` })),
    );
  }
  // Past 1 MB an over-long string is the huge-input property's job (and past the stdio
  // transport's 10 MiB message limit it could not even arrive).
  if (max !== undefined && max < HUGE_MIN) {
    faults.push(
      fc
        .record({ fill: fc.constantFrom('a', ' ', '/', '0', '.'), extra: fc.integer({ min: 1, max: 8 }) })
        .map(({ fill, extra }) => ({
          value: fill.repeat(max + extra),
          fault: `${path}: over maxLength ${max}`,
        })),
    );
  }
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    faults.push(
      fc
        .string({ ...ASCII, minLength: min, maxLength: Math.max(min, Math.min(max ?? 32, 32)) })
        .filter((text) => !pattern.test(text))
        .map((value) => ({ value, fault: `${path}: off pattern ${schema.pattern}` })),
    );
  }
  return faults;
}

function numberFaults(schema: JsonSchema, path: string, type: string): fc.Arbitrary<Invalid>[] {
  const faults: fc.Arbitrary<Invalid>[] = [];
  const min = schema.minimum ?? schema.exclusiveMinimum;
  const max = schema.maximum ?? schema.exclusiveMaximum;
  const low = Math.max(min ?? -1e6, -1e6);
  const high = Math.min(max ?? 1e6, 1e6);
  if (type === 'integer' && high - low >= 1) {
    faults.push(
      fc
        .double({ min: low, max: high, noNaN: true, noDefaultInfinity: true })
        .filter((value) => !Number.isInteger(value))
        .map((value) => ({ value, fault: `${path}: fraction for integer` })),
    );
  }
  if (min !== undefined) {
    const below = min > Number.MIN_SAFE_INTEGER + 1000;
    faults.push(
      (below ? fc.integer({ min: 1, max: 1000 }).map((gap) => min - gap) : fc.constant(-1e300)).map(
        (value) => ({
          value,
          fault: `${path}: below minimum ${min}`,
        }),
      ),
    );
  }
  if (max !== undefined) {
    const above = max < Number.MAX_SAFE_INTEGER - 1000;
    faults.push(
      (above
        ? fc.integer({ min: 1, max: 1000 }).map((gap) => max + gap)
        : fc.constantFrom(2 ** 53, 1e300)
      ).map((value) => ({ value, fault: `${path}: above maximum ${max}` })),
    );
  }
  return faults;
}

function arrayFaults(
  schema: JsonSchema,
  path: string,
  overrides: Overrides,
  options: InvalidOptions,
): fc.Arbitrary<Invalid>[] {
  const faults: fc.Arbitrary<Invalid>[] = [];
  const item = validValue(schema.items ?? {}, `${path}[]`, overrides);
  const minItems = schema.minItems ?? 0;
  const maxItems = schema.maxItems;
  if (!options.huge) {
    if (minItems > 0) {
      faults.push(
        fc
          .array(item, { maxLength: minItems - 1 })
          .map((value) => ({ value, fault: `${path}: under minItems ${minItems}` })),
      );
    }
    if (maxItems !== undefined && maxItems < 200) {
      faults.push(
        fc
          .array(item, { minLength: maxItems + 1, maxLength: maxItems + 3 })
          .map((value) => ({ value, fault: `${path}: over maxItems ${maxItems}` })),
      );
    }
  }
  const badItem = schema.items ? invalidValue(schema.items, `${path}[]`, overrides, options) : undefined;
  if (badItem) {
    const length = Math.max(minItems, 1);
    faults.push(
      fc
        .tuple(
          fc.array(item, { minLength: length - 1, maxLength: length - 1 }),
          badItem,
          fc.nat({ max: length - 1 }),
        )
        .map(([items, bad, at]) => {
          const value = [...items];
          value.splice(at, 0, bad.value);
          return { value, fault: bad.fault };
        }),
    );
  }
  return faults;
}

function objectFaults(
  schema: JsonSchema,
  path: string,
  overrides: Overrides,
  options: InvalidOptions,
): fc.Arbitrary<Invalid>[] {
  const faults: fc.Arbitrary<Invalid>[] = [];
  const properties = schema.properties ?? {};
  const base = validObject({ ...schema, additionalProperties: false }, path, overrides) as fc.Arbitrary<
    Record<string, unknown>
  >;
  const required = schema.required ?? [];
  if (required.length > 0 && !options.huge) {
    faults.push(
      fc.tuple(base, fc.constantFrom(...required)).map(([object, missing]) => {
        const { [missing]: _dropped, ...rest } = object;
        return { value: rest, fault: `${path ? `${path}.` : ''}${missing}: required, missing` };
      }),
    );
  }
  for (const [name, property] of Object.entries(properties)) {
    const bad = invalidValue(property, path ? `${path}.${name}` : name, overrides, options);
    if (!bad) continue;
    faults.push(
      fc
        .tuple(base, bad)
        .map(([object, fault]) => ({ value: { ...object, [name]: fault.value }, fault: fault.fault })),
    );
  }
  if (schema.additionalProperties === false && !options.huge) {
    faults.push(
      fc
        .tuple(
          base,
          fc.string({ ...ASCII, minLength: 1, maxLength: 8 }).filter((key) => !(key in properties)),
        )
        .map(([object, key]) => ({ value: { ...object, [key]: 1 }, fault: `${path}.${key}: not allowed` })),
    );
  }
  return faults;
}
