/**
 * The marker after seal(): still the identity, and it names each module that calls it, once
 * (HP2018). A call after seal() is code no pass rewrote, or whose slots a tool stripped: it is
 * correct, but nothing in it is patched, and without this nobody would know.
 *
 * Who called is read from a stack trace (microseconds), so not at every call: a call is looked
 * at only while `looking` is set — for the first BUDGET calls after seal() and after each module
 * load (which may bring new callers), then for one call every TICK_MS of event-loop time. A hot
 * loop pays one load and one branch per call, nothing else (bench/ scenario `marker`). The
 * first caller is always named; a module loaded earlier whose calls all run in one synchronous
 * stretch after the budget is spent goes unnamed (docs/codes.md#hp2018).
 */
import { framesAbove } from './stack-frames.js';

/** Calls looked at after seal() and after each module load. */
const BUDGET = 64;
/** Then one call per tick; the timer stops when a tick finds no call since the last. */
const TICK_MS = 250;

export interface MarkerAfterSeal {
  /** A module was loaded: look at the next BUDGET calls again. */
  rearm(): void;
}

/** Swaps the naming marker into every loaded copy's binding (`swap`); `named` is called once per module found calling. */
export function markerAfterSeal(swap: (marker: <T>(variable: T) => T) => void, named: (module: string) => void): MarkerAfterSeal {
  const seen = new Set<string>();
  let looking = true;
  let budget = BUDGET;
  let timer: { unref?(): void } | undefined;
  const look = () => {
    if (--budget <= 0) looking = false;
    const module = callerModule(STATIC_VARIABLE_LOAD);
    if (module !== undefined && !seen.has(module)) {
      seen.add(module);
      named(module);
    }
  };
  function STATIC_VARIABLE_LOAD<T>(variable: T): T {
    if (looking) look();
    return variable;
  }
  const tick = () => {
    if (looking) {
      // No call since the last tick: nothing to sample; a module load starts the timer again.
      clearInterval(timer as Parameters<typeof clearInterval>[0]);
      timer = undefined;
      return;
    }
    budget = 1;
    looking = true;
  };
  const startTicking = () => {
    if (timer !== undefined || typeof setInterval !== 'function') return;
    timer = setInterval(tick, TICK_MS);
    timer.unref?.(); // never keeps a process alive
  };
  swap(STATIC_VARIABLE_LOAD);
  startTicking();
  return {
    rearm: () => {
      budget = BUDGET;
      looking = true;
      startTicking();
    },
  };
}

/** The file of the function that called `below`, from V8's structured stack trace (stack-frames.ts). */
function callerModule(below: (...args: never[]) => unknown): string | undefined {
  const frames = framesAbove(below, 1);
  if (frames === undefined) return undefined;
  try {
    const frame = frames[0];
    const name = frame?.getFileName?.() ?? frame?.getScriptNameOrSourceURL?.();
    return typeof name === 'string' && name !== '' ? name : 'an unnamed script (eval, new Function)';
  } catch {
    return undefined;
  }
}
