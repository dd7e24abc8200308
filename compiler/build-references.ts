/**
 * Sites reading a variable of a referenced project (project references).
 */
import type TS from 'typescript';
import type { PassHooks } from './build-watch.js';

export function addCrossProjectPass<T extends TS.BuilderProgram>(_ts: typeof TS, createProgram: TS.CreateProgram<T>, _hooks: PassHooks): TS.CreateProgram<T> {
  return createProgram;
}
