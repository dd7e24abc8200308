/**
 * Node < 22.15: `module.register` runs hooks/offthread-loader.js on Node's hooks thread
 * for ES modules loaded after this call (after seal()). seal()'s table (variable id → literal,
 * or code and reason: strings only) travels in `data`; per-module reports come back on a
 * MessagePort that the main thread drains synchronously whenever a report is read.
 */
import { offThreadLoaderUrl } from '../hook-files.js';
import type { SealedTable } from '../patch-source.js';
import type { PatchedModule } from '../report.js';

export interface OffThreadHooksApi {
  register(specifier: string | URL, options: { parentURL: string | URL; data: unknown; transferList: unknown[] }): unknown;
}
interface Port {
  unref(): void;
}
export interface WorkerThreadsApi {
  isMainThread: boolean;
  MessageChannel: new () => { port1: Port; port2: Port };
  receiveMessageOnPort(port: Port): { message: unknown } | undefined;
}

/**
 * Registers the loader; returns the function that collects the reports it has sent, and the one
 * that tells it, synchronously (shared memory, not a message it may read late), that a module
 * hook was registered after seal().
 */
export function installOffThreadHooks(
  api: OffThreadHooksApi,
  threads: WorkerThreadsApi,
  table: SealedTable,
  record: (report: PatchedModule) => void,
  preserveSymlinks: boolean,
): { drain: () => void; hookRegistered: () => void } {
  const { port1, port2 } = new threads.MessageChannel();
  port1.unref();
  const hookAfterSeal = new Int32Array(new SharedArrayBuffer(4));
  api.register(offThreadLoaderUrl(), {
    parentURL: import.meta.url,
    data: { table, port: port2, preserveSymlinks, hookAfterSeal },
    transferList: [port2],
  });
  return {
    drain: () => {
      for (let m = threads.receiveMessageOnPort(port1); m; m = threads.receiveMessageOnPort(port1)) record(m.message as PatchedModule);
    },
    hookRegistered: () => void Atomics.store(hookAfterSeal, 0, 1),
  };
}
