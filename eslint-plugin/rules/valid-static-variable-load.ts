/**
 * `hotpath/valid-static-variable-load`: the compiler pass's STATIC_VARIABLE_LOAD
 * diagnostics (HP1xxx), live in the editor. A thin adapter: the checks are
 * checks/marker-checks.ts's, the same code `hotpath build` runs, bound to the
 * TypeScript that typescript-eslint built the program with (checks/typescript.ts loads
 * it, from typescript-eslint's own location first: lint-typescript.ts). Nothing is loaded
 * until the rule runs: the plugin loads without TypeScript.
 */
import type * as ts from 'typescript';
import { createMarkerChecks } from '../../checks/marker-checks.js';
import { DIAGNOSTIC_CODES, type HotpathDiagnosticCode } from '../../checks/marker-rules.js';
import { builtWith } from '../../checks/typescript.js';
import { lintTypeScriptLoad } from '../lint-typescript.js';
import { createRule } from '../create-rule.js';

type MessageId = (typeof DIAGNOSTIC_CODES)[HotpathDiagnosticCode] | 'needs-type-information';

const messages = {
  ...Object.fromEntries((Object.keys(DIAGNOSTIC_CODES) as HotpathDiagnosticCode[]).map((code) => [DIAGNOSTIC_CODES[code], `${code}: {{message}}. {{hint}}`])),
  'needs-type-information':
    'hotpath/valid-static-variable-load needs type information and this file was linted without it: the STATIC_VARIABLE_LOAD checks did not run. ' +
    "Use typescript-eslint's parser with parserOptions.projectService (hotpath's configs['recommended-type-checked'] expects it), or turn the rule off for these files.",
} as Record<MessageId, string>;

/** What typescript-eslint's parser services hold that the rule uses (typescript-estree's ParserServicesWithTypeInformation). */
interface TypedParserServices {
  readonly program: ts.Program;
  readonly esTreeNodeToTSNodeMap: { get(node: unknown): ts.Node | undefined };
}

function typedParserServices(services: unknown): TypedParserServices | undefined {
  const s = services as Partial<TypedParserServices> | undefined;
  return s?.program && typeof s.esTreeNodeToTSNodeMap?.get === 'function' ? (s as TypedParserServices) : undefined;
}

/** Problems already reported: an environment problem is said once per process, not on every file. */
const saidOnce = new Set<string>();

export default createRule<[], MessageId>({
  name: 'valid-static-variable-load',
  meta: {
    type: 'problem',
    docs: {
      description: 'Report misuse of STATIC_VARIABLE_LOAD: the compiler pass diagnostics HP1xxx, from the same checks',
      recommended: true,
      requiresTypeChecking: true,
    },
    messages,
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const once = (key: string, report: () => void) => {
      if (saidOnce.has(key)) return;
      saidOnce.add(key);
      report();
    };
    const atStart = { start: { line: 1, column: 0 }, end: { line: 1, column: 0 } };
    const services = typedParserServices(context.sourceCode.parserServices);
    if (!services) {
      return { Program: () => once('needs-type-information', () => context.report({ messageId: 'needs-type-information', loc: atStart })) };
    }
    const load = lintTypeScriptLoad();
    const { program } = services;
    if (!load.ok || !builtWith(load.ts, program)) {
      const message = load.ok
        ? `the TypeScript hotpath found (${load.ts.version}, ${load.path}) is not the one typescript-eslint built the program with, whose node kinds differ`
        : load.message;
      const hint = load.ok ? 'Install one TypeScript 5.9–6.x where both typescript-eslint and hotpath resolve it.' : load.hint;
      return {
        Program: () => once('HP1012', () => context.report({ messageId: DIAGNOSTIC_CODES.HP1012, data: { message, hint }, loc: atStart })),
      };
    }
    const ts = load.ts;
    const sourceFile = services.esTreeNodeToTSNodeMap.get(context.sourceCode.ast) as ts.SourceFile | undefined;
    if (!sourceFile || !ts.isSourceFile(sourceFile)) return {};
    const { checkMarkers } = createMarkerChecks(ts);
    return {
      'Program:exit'() {
        let diagnostics;
        try {
          diagnostics = checkMarkers(program, sourceFile).diagnostics;
        } catch {
          return; // checkMarkers turns user code into diagnostics; never fail a lint run
        }
        for (const d of diagnostics) {
          const start = sourceFile.getLineAndCharacterOfPosition(d.start);
          const end = sourceFile.getLineAndCharacterOfPosition(d.start + d.length);
          context.report({
            messageId: DIAGNOSTIC_CODES[d.code],
            data: { message: d.message, hint: d.hint },
            loc: { start: { line: start.line + 1, column: start.character }, end: { line: end.line + 1, column: end.character } },
          });
        }
      },
    };
  },
});
