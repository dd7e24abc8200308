/**
 * A real ES module, loaded by Node itself (runtime/hooks/every-hook.ts), for copies of the runtime
 * that have no import.meta.resolve of their own: the runtime bundled by webpack or rspack into
 * a CommonJS chunk (they compile `import.meta.resolve` to undefined and emit this file next to
 * the chunks, as they do for any `new URL('./file', import.meta.url)`), and build/cjs. Its
 * import.meta.resolve runs every resolve hook, as Node resolves an import. It imports nothing:
 * a bundler emits it alone.
 */
export const resolve: ((specifier: string) => string) | undefined = import.meta.resolve;
