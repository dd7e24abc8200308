/**
 * Which module format a file emits (CommonJS, an ES module, or one hotpath does not patch),
 * as the program decides it: `module`, .cts/.mts, package.json "type".
 */
import type * as ts from 'typescript';
import type { TypeScript } from './typescript.js';

export interface ModuleFormat {
  emitsCommonJS(program: ts.Program, sourceFile: ts.SourceFile): boolean;
  unsupportedModuleFormat(program: ts.Program, sourceFile: ts.SourceFile): string | undefined;
}

/** The module-format questions for `ts`, the TypeScript the program was built with. */
export function createModuleFormat(ts: TypeScript): ModuleFormat {
  /**
   * `"AMD"`, `"UMD"`, `"System"` or `"no module format"` when `sourceFile` emits neither CommonJS
   * nor an ES module: the pass cannot bind its runtime imports there (TypeScript's AMD, UMD
   * and System transforms do not rewrite synthesized imports), so it leaves such files as tsc emits them.
   */
  function unsupportedModuleFormat(program: ts.Program, sourceFile: ts.SourceFile): string | undefined {
    if (emitsCommonJS(program, sourceFile)) return undefined;
    const kind = emitModuleFormatOf(program, sourceFile) ?? program.getCompilerOptions().module ?? ts.ModuleKind.ESNext;
    // Naming the deprecated module formats is this function's job.
    /* eslint-disable @typescript-eslint/no-deprecated */
    switch (kind) {
      case ts.ModuleKind.AMD: return 'AMD';
      case ts.ModuleKind.UMD: return 'UMD';
      case ts.ModuleKind.System: return 'System';
      case ts.ModuleKind.None: return 'no module format';
      default: return undefined;
    }
    /* eslint-enable @typescript-eslint/no-deprecated */
  }

  /**
   * The program's emit format of the file (module, .cts/.mts, package.json "type"), asked once
   * per file (every marker call asks); undefined when the program does not say (the method is
   * not in the public typings).
   */
  const emitFormats = new WeakMap<ts.Program, WeakMap<ts.SourceFile, ts.ModuleKind>>();
  function emitModuleFormatOf(program: ts.Program, sourceFile: ts.SourceFile): ts.ModuleKind | undefined {
    const internal = (program as { getEmitModuleFormatOfFile?: (file: ts.SourceFile) => ts.ModuleKind }).getEmitModuleFormatOfFile;
    if (typeof internal !== 'function') return undefined;
    let byFile = emitFormats.get(program);
    if (!byFile) emitFormats.set(program, (byFile = new WeakMap()));
    let kind = byFile.get(sourceFile);
    if (kind === undefined) byFile.set(sourceFile, (kind = internal.call(program, sourceFile)));
    return kind;
  }

  /** Does `sourceFile` emit as CommonJS? */
  function emitsCommonJS(program: ts.Program, sourceFile: ts.SourceFile): boolean {
    // Program knows each file's emit format (module, .cts/.mts, package.json "type"); not in the public typings.
    const kind = emitModuleFormatOf(program, sourceFile);
    if (kind !== undefined) return kind === ts.ModuleKind.CommonJS;
    const options = program.getCompilerOptions();
    const module = options.module ?? ts.ModuleKind.ESNext;
    // eslint-disable-next-line hotpath/prefer-subtract-compare -- enum members, read once per file: the two-sided check says what it means
    if (module >= ts.ModuleKind.Node16 && module <= ts.ModuleKind.NodeNext) return sourceFile.impliedNodeFormat === ts.ModuleKind.CommonJS;
    return module === ts.ModuleKind.CommonJS;
  }

  return { emitsCommonJS, unsupportedModuleFormat };
}
