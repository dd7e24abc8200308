/**
 * V8's structured stack frames, for the checks that tell hotpath's frames from other hooks'.
 * Error's settings are the user's (source-map-support sets prepareStackTrace; a test may freeze
 * Error): this is the one place they are changed, each time restored, never thrown for.
 */

export interface CallSite {
  getFileName?(): string | null | undefined;
  getFunctionName?(): string | null | undefined;
  getScriptNameOrSourceURL?(): string | null | undefined;
}

type ErrorApi = { prepareStackTrace?: unknown; stackTraceLimit?: number; captureStackTrace?(target: object, below?: (...args: never[]) => unknown): void };

/**
 * Runs `take` with Error.stackTraceLimit at `limit` (V8 takes an error's frames when it is made),
 * then restores it; undefined when the limit cannot be set. User code that runs inside `take` sees
 * its own prepareStackTrace: only the limit changes.
 */
export function withStackLimit<T>(limit: number, take: () => T): { readonly value: T } | undefined {
  const api = Error as unknown as ErrorApi;
  let saved: number | undefined;
  try {
    saved = api.stackTraceLimit;
    api.stackTraceLimit = limit;
  } catch {
    return undefined;
  }
  try {
    return { value: take() };
  } finally {
    try {
      api.stackTraceLimit = saved;
    } catch {
      // frozen by the user after all
    }
  }
}

/**
 * The frames of `error`, read with V8 handing them back as they are (it formats a stack when it is
 * first read); undefined when they were formatted already (user code read `.stack` first), or
 * cannot be read. Callers treat undefined as "cannot tell".
 */
export function callSitesOf(error: unknown): CallSite[] | undefined {
  const api = Error as unknown as ErrorApi;
  let prepare: unknown;
  let saved = false;
  let frames: unknown;
  try {
    prepare = api.prepareStackTrace;
    saved = true;
    api.prepareStackTrace = (_error: unknown, callSites: unknown) => callSites;
    frames = (error as { stack?: unknown } | null)?.stack;
  } catch {
    return undefined;
  } finally {
    if (saved) {
      try {
        api.prepareStackTrace = prepare;
      } catch {
        // frozen by the user
      }
    }
  }
  return Array.isArray(frames) ? (frames as CallSite[]) : undefined;
}

/** The frames above `below`'s (Error.captureStackTrace), at most `limit`; undefined when they cannot be read. */
export function framesAbove(below: (...args: never[]) => unknown, limit: number): CallSite[] | undefined {
  const api = Error as unknown as ErrorApi;
  try {
    if (typeof api.captureStackTrace !== 'function') return undefined;
    const holder: { stack?: unknown } = {};
    const taken = withStackLimit(limit, () => api.captureStackTrace!(holder, below));
    return taken === undefined ? undefined : callSitesOf(holder);
  } catch {
    return undefined;
  }
}
