/**
 * The marker checks: is this `STATIC_VARIABLE_LOAD(x)` a valid patch site? One
 * implementation, called by the compiler pass (compiler/transformer.ts, compiler/build.ts)
 * and by the ESLint rule `valid-static-variable-load`, each with the TypeScript its program
 * was built with (`createMarkerChecks(ts)`). Pure over a ts.Program: no I/O, never throws
 * on user code (an unexpected failure becomes diagnostic HP1010). This module walks a file
 * for marker calls; the jobs are one module each: which calls are the marker
 * (marker-recognition.ts), each call's checks (call-checks.ts), who writes its variable
 * (write-analysis.ts), `@boot` tags (tags.ts), module formats (module-format.ts).
 */
import type * as ts from 'typescript';
import { createCallCheck } from './call-checks.js';
import { cacheFor, report, type CheckContext, type ProgramCache } from './check-context.js';
import type { HotpathDiagnostic, MarkerCheckOptions, MarkerCheckResult, MarkerSite } from './diagnostic.js';
import { createMarkerRecognition } from './marker-recognition.js';
import { rules } from './marker-rules.js';
import { createModuleFormat } from './module-format.js';
import { projectDirectoryOf } from './module-key.js';
import { createTagReader, type BootFunction } from './tags.js';
import type { TypeScript } from './typescript.js';
import { createWriteAnalysis } from './write-analysis.js';

/** The checks, bound to one TypeScript instance (the one the program was built with). */
export interface MarkerChecks {
  checkMarkers(program: ts.Program, sourceFile: ts.SourceFile, options?: MarkerCheckOptions): MarkerCheckResult;
  hasTag(node: ts.Node, tag: string): boolean;
  isBootFunction(node: ts.Node): node is BootFunction;
  findBootFunctions(sourceFile: ts.SourceFile): BootFunction[];
  emitsCommonJS(program: ts.Program, sourceFile: ts.SourceFile): boolean;
  unsupportedModuleFormat(program: ts.Program, sourceFile: ts.SourceFile): string | undefined;
}

const instances = new WeakMap<TypeScript, MarkerChecks>();

/** The marker checks for `ts`, made once per instance. */
export function createMarkerChecks(ts: TypeScript): MarkerChecks {
  let checks = instances.get(ts);
  if (!checks) instances.set(ts, (checks = markerChecksFor(ts)));
  return checks;
}

function markerChecksFor(ts: TypeScript): MarkerChecks {
  const { hasTag, isBootFunction, findBootFunctions } = createTagReader(ts);
  const { emitsCommonJS, unsupportedModuleFormat } = createModuleFormat(ts);
  const { isMarkerCallee, markerNamesOf, mayCallMarker, isHotpathRuntimeDeclaration } = createMarkerRecognition(ts, { hasTag });
  const writes = createWriteAnalysis(ts, { isBootFunction, emitsCommonJS, isHotpathRuntimeDeclaration });
  const { checkCall } = createCallCheck(ts, { emitsCommonJS, unsupportedModuleFormat, ...writes });

  /**
   * Checks every marker call in `sourceFile`. Results are cached per program, so calling
   * it for every file of a program (the compiler pass, an editor) costs one walk per file.
   */
  function checkMarkers(program: ts.Program, sourceFile: ts.SourceFile, options?: MarkerCheckOptions): MarkerCheckResult {
    const cache = cacheFor(program, projectDirectoryOf(program, options));
    let result = cache.results.get(sourceFile);
    if (!result) {
      result = checkFile(program, sourceFile, cache);
      cache.results.set(sourceFile, result);
    }
    return result;
  }

  function checkFile(program: ts.Program, sourceFile: ts.SourceFile, cache: ProgramCache): MarkerCheckResult {
    const sites: MarkerSite[] = [];
    const diagnostics: HotpathDiagnostic[] = [];
    const markerCalls: ts.CallExpression[] = [];
    if (sourceFile.isDeclarationFile) return { sites, diagnostics, markerCalls };
    const checker = program.getTypeChecker();
    const context: CheckContext = { program, checker, sourceFile, cache, diagnostics };
    const names = markerNamesOf(program);
    if (names && !mayCallMarker(sourceFile.text, names)) return { sites, diagnostics, markerCalls };
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        let isMarker = false;
        try {
          isMarker = isMarkerCallee(checker, node.expression, names);
        } catch {
          isMarker = false; // a callee the checker cannot resolve is not the marker
        }
        if (isMarker) {
          markerCalls.push(node);
          try {
            const site = checkCall(context, node);
            if (site) sites.push(site);
          } catch (error) {
            report(context, 'HP1010', node, rules.internalError(String(error)));
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    return { sites, diagnostics, markerCalls };
  }

  return { checkMarkers, hasTag, isBootFunction, findBootFunctions, emitsCommonJS, unsupportedModuleFormat };
}
