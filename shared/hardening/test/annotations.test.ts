/**
 * Tool annotation presets: all four MCP hints set explicitly as booleans, frozen, and with the
 * meaning each preset's name promises.
 */
import { describe, expect, it } from 'vitest';
import {
  ADDITIVE,
  ADDITIVE_REPEATABLE,
  DESTRUCTIVE,
  OVERWRITE_IDEMPOTENT,
  READ_ONLY,
  READ_ONLY_OPEN_WORLD,
  type ToolHints,
} from '../src/index.js';

const PRESETS: Record<string, ToolHints> = {
  READ_ONLY,
  READ_ONLY_OPEN_WORLD,
  ADDITIVE,
  ADDITIVE_REPEATABLE,
  OVERWRITE_IDEMPOTENT,
  DESTRUCTIVE,
};

const HINTS = ['destructiveHint', 'idempotentHint', 'openWorldHint', 'readOnlyHint'];

describe('annotation presets', () => {
  it('annotations:explicit — every preset has exactly the four hints, all booleans', () => {
    for (const [name, preset] of Object.entries(PRESETS)) {
      expect(Object.keys(preset).sort(), name).toEqual(HINTS);
      for (const hint of HINTS) {
        expect(typeof (preset as unknown as Record<string, unknown>)[hint], `${name}.${hint}`).toBe(
          'boolean',
        );
      }
    }
  });

  it('annotations:frozen — every preset is frozen and cannot be changed', () => {
    for (const [name, preset] of Object.entries(PRESETS)) {
      expect(Object.isFrozen(preset), name).toBe(true);
      expect(() => {
        (preset as { readOnlyHint: boolean }).readOnlyHint = !preset.readOnlyHint;
      }, name).toThrow(TypeError);
      expect(() => {
        (preset as unknown as Record<string, unknown>).extraHint = true;
      }, name).toThrow(TypeError);
    }
    expect(READ_ONLY.readOnlyHint).toBe(true);
  });

  it('annotations:meaning — each preset says what its name says', () => {
    expect(READ_ONLY).toEqual({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(READ_ONLY_OPEN_WORLD).toEqual({ ...READ_ONLY, openWorldHint: true });
    expect(ADDITIVE).toEqual({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(ADDITIVE_REPEATABLE).toEqual({ ...ADDITIVE, idempotentHint: false });
    expect(OVERWRITE_IDEMPOTENT).toEqual({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(DESTRUCTIVE).toEqual({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: false,
    });
  });

  it('annotations:meaning — a read-only preset is never destructive', () => {
    for (const [name, preset] of Object.entries(PRESETS)) {
      if (preset.readOnlyHint) expect(preset.destructiveHint, name).toBe(false);
    }
  });

  it('annotations:explicit — leaving a hint out of ToolHints is a compile error', () => {
    // @ts-expect-error openWorldHint is missing: every hint must be set explicitly.
    const incomplete: ToolHints = { readOnlyHint: true, destructiveHint: false, idempotentHint: true };
    expect(Object.keys(incomplete)).toHaveLength(3);
  });
});
