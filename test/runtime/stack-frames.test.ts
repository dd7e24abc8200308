import { afterEach, describe, expect, it } from 'vitest';
import { anyHookBelow } from '../../runtime/hooks/every-hook.js';
import { callSitesOf, framesAbove, withStackLimit } from '../../runtime/stack-frames.js';

const api = Error as unknown as { prepareStackTrace?: unknown; stackTraceLimit?: number };
const original = { prepare: api.prepareStackTrace, limit: api.stackTraceLimit };
afterEach(() => {
  api.prepareStackTrace = original.prepare;
  api.stackTraceLimit = original.limit;
});

describe('stack frames (the one place Error\'s settings are changed)', () => {
  it('restores the user\'s prepareStackTrace and stackTraceLimit, even when the probed code throws', () => {
    const mine = (_e: unknown, frames: unknown[]) => `mine: ${frames.length}`;
    api.prepareStackTrace = mine;
    api.stackTraceLimit = 7;
    const error = withStackLimit(50, () => new Error('probe'))!.value;
    expect(api.stackTraceLimit).toBe(7);
    expect(() => withStackLimit(50, () => { throw new Error('boom'); })).toThrow('boom');
    expect(api.stackTraceLimit).toBe(7);
    expect(callSitesOf(error)?.length).toBeGreaterThan(0);
    expect(api.prepareStackTrace).toBe(mine);
    expect(framesAbove(() => undefined, 3)).toBeDefined();
    expect(api.prepareStackTrace).toBe(mine);
    expect(api.stackTraceLimit).toBe(7);
    // The user's formatter still formats every other error.
    expect(new Error('x').stack).toMatch(/^mine: /);
  });

  it('reads nothing from an error whose stack user code formatted first: "cannot tell", never frames of the wrong kind', () => {
    const error = new Error('read first');
    // eslint-disable-next-line @typescript-eslint/no-meaningless-void-operator -- reading .stack is the point: it formats the trace
    void error.stack;
    expect(callSitesOf(error)).toBeUndefined();
  });

  it('a hook run by the probe sees its own prepareStackTrace (only the limit changes), and the probe then says "a hook may run"', () => {
    let seen: unknown;
    const hook = (specifier: string) => {
      const e = new Error(`not found: ${specifier}`);
      seen = e.stack; // formatted by the user's settings, before hotpath reads it
      throw e;
    };
    expect(anyHookBelow(hook, './missing.js', undefined)).toBe(true);
    expect(typeof seen).toBe('string');
  });

  it('never throws for a frozen Error: "cannot tell"', () => {
    const frozen = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit');
    Object.defineProperty(Error, 'stackTraceLimit', { value: 10, writable: false, configurable: true });
    try {
      expect(withStackLimit(50, () => 1)).toBeUndefined();
      expect(framesAbove(() => undefined, 3)).toBeUndefined();
      expect(anyHookBelow(() => { throw new Error('x'); }, './m.js', undefined)).toBe(true);
    } finally {
      Object.defineProperty(Error, 'stackTraceLimit', frozen!);
    }
  });
});
