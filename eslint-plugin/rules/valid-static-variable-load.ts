/**
 * `hotpath/valid-static-variable-load`: the compiler pass's STATIC_VARIABLE_LOAD
 * diagnostics (HP1xxx), live in the editor. A thin adapter: the checks are
 * compiler/marker-checks.ts's `checkMarkers`, the same code `hotpath build` runs.
 * marker-checks loads `typescript` (an optional peer) on first use, not on import: the
 * plugin loads without it, and only create() — this rule actually running — needs it.
 */
import { ESLintUtils } from '@typescript-eslint/utils';
import type ts from 'typescript';
import { checkMarkers, DIAGNOSTIC_CODES, typescript, type HotpathDiagnosticCode } from '../../compiler/marker-checks.js';
import { createRule } from '../create-rule.js';

type MessageId = (typeof DIAGNOSTIC_CODES)[HotpathDiagnosticCode];

const messages = Object.fromEntries(
  (Object.keys(DIAGNOSTIC_CODES) as HotpathDiagnosticCode[]).map((code) => [DIAGNOSTIC_CODES[code], `${code}: {{message}}. {{hint}}`]),
) as Record<MessageId, string>;

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
    typescript(); // here, not in checkMarkers' catch below: a missing typescript is a clear error, not silence
    const services = ESLintUtils.getParserServices(context);
    const program = services.program;
    const sourceFile = services.esTreeNodeToTSNodeMap.get(context.sourceCode.ast) as ts.SourceFile | undefined;
    if (!sourceFile) return {};
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
