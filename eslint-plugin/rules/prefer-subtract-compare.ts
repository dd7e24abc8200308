// hotpath/prefer-subtract-compare: `x >= lo && x < hi` -> `(x - lo) >>> 0 < hi - lo`
// (bigints, only with the `bigint` option: `BigInt.asUintN(64, x - lo) < hi - lo`).
// A thin adapter: range-check.ts finds and prints, range-proof.ts judges, this file reports.
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import { asiSafeReplacement } from './prefer-subtract-compare/asi.js';
import { buildReplacement, findRangeChecks, type RangeCheck, type SourceInput } from './prefer-subtract-compare/range-check.js';
import { judgeRangeCheck, type Reason } from './prefer-subtract-compare/range-proof.js';
import { createOperandEnv } from './prefer-subtract-compare/scope-env.js';

export type Options = [
  {
    assumeInt32OperandsIKnowWhatImDoing?: boolean;
    bigint?: boolean;
  },
];

export type MessageIds = 'rangeCheck' | 'rangeCheckUnproven' | 'rangeCheckNoFix' | 'suggestRewrite';

/** One line per reason kind; each names a value class for which the rewrite differs. */
export function describeReason(reason: Reason, text: (node: TSESTree.Node) => string): string {
  const s = '`' + text(reason.subject) + '`';
  switch (reason.kind) {
    case 'operand-not-integer': {
      if (reason.negated) {
        const typed = reason.origin === 'enum-type' ? ' (any number is assignable to a numeric enum type)' : '';
        return `${s} is not proven an integer${typed}: for ±Infinity, or a fraction just outside an inclusive bound, the rewrite counts it inside the range, the original does not`;
      }
      const origin =
        reason.origin === 'charCodeAt'
          ? ' (charCodeAt() returns NaN past the end of the string)'
          : reason.origin === 'element'
            ? ' (an element read out of bounds gives undefined, i.e. NaN)'
            : reason.origin === 'literal-type'
              ? ' (its type says integer literals, but a type is no proof: a binding read before its assignment, an array hole or an element read past the end is undefined, i.e. NaN, and an assertion or `any` can put any value there)'
              : reason.origin === 'enum-type'
                ? ' (any number is assignable to a numeric enum type)'
                : '';
      return `${s} is not proven an integer: for NaN${origin}, ±Infinity, or a fraction just outside an inclusive bound, the rewrite counts it inside the range, the original does not`;
    }
    case 'lower-not-integer':
      return `the lower bound ${s} is not proven an integer: for -Infinity (or 0.5 against x = 0 in \`x >= lo\`) the rewrite counts x inside the range, the original does not`;
    case 'upper-not-integer':
      return `${s} is not proven a finite integer: for Infinity the rewrite counts every x below the lower bound inside the range, the original does not`;
    case 'upper-inexact':
      return `${s} is not proven to stay within 2^53: beyond it the sum is rounded (2^53 + 1 is 2^53), so the original compares against another bound than the rewrite's exact size`;
    case 'difference-range':
      return `the difference from the lower bound is not proven to stay within ±2^32: x = lower bound + 2^32 wraps to 0 and the rewrite counts it inside the range, the original does not`;
    case 'negative-wrap':
      return `below the lower bound, x + 2^32 is not proven to reach the upper bound: the wrapped difference lands inside the range, the original says outside`;
    case 'getter':
      return `${s} may be a getter: for values passing the first comparison the original reads it twice, the rewrite once`;
    case 'global':
      return `${s} is not declared in this file: a getter on the global object would be read a different number of times`;
    case 'coercion':
      return `${s} is not proven a ${reason.bigint ? 'bigint' : 'number'}: its valueOf() would run a different number of times (twice in the original, once in the rewrite, for values passing the first comparison)`;
    case 'tdz':
      return `${s} may be read before its initialization: the original skips it when the first comparison is false, the rewrite throws a ReferenceError`;
    case 'not-bigint':
      if (reason.origin === 'literal-type') {
        return `${s} is not proven a bigint: its type says so, but a type is no proof (a binding read before its assignment, an array hole or an element read past the end is undefined); then (as for a number) the rewrite's bigint arithmetic throws a TypeError where the original compares and returns a boolean`;
      }
      return `${s} is not proven a bigint: if it is a number, the rewrite's bigint arithmetic throws a TypeError (BigInt and number do not mix) where the original compares and returns a boolean`;
    case 'difference-range-64':
      return `the difference from the lower bound is not proven to stay within ±2^64: bigints more than 2^64 apart wrap, e.g. x = lower bound + 2^64 becomes 0 in BigInt.asUintN(64, …) and the rewrite counts it inside the range, the original does not`;
    case 'dynamic-scope':
      return reason.subject.type === 'CallExpression'
        ? `${s} in sloppy mode can declare a \`var\` at run time in an enclosing function that shadows a binding the proof relies on (\`var x = 0.5\`), so nothing about the names here is proven`
        : `inside \`with\`, a property of its object can shadow a binding the proof relies on, so nothing about the names here is proven`;
    case 'negative-wrap-64':
      return `below the lower bound, x + 2^64 is not proven to reach the upper bound: BigInt.asUintN(64, …) wraps the negative difference inside the range, the original says outside`;
  }
}

export default createRule<Options, MessageIds>({
  name: 'prefer-subtract-compare',
  meta: {
    type: 'suggestion',
    docs: {
      description:
        'Prefer one unsigned compare `(x - lo) >>> 0 < hi - lo` (bigints, with the `bigint` option: `BigInt.asUintN(64, x - lo) < hi - lo`) to a two-sided range check',
      recommended: true,
      requiresTypeChecking: false,
    },
    fixable: 'code',
    hasSuggestions: true,
    messages: {
      rangeCheck: 'Two-sided range check on `{{operand}}`: use `{{replacement}}` (one compare, no branch).',
      rangeCheckUnproven:
        'Two-sided range check on `{{operand}}` could be `{{replacement}}`, but equivalence is not proven:{{reasons}}.',
      rangeCheckNoFix:
        'Two-sided range check on `{{operand}}` could be one unsigned compare; no fix is offered because a comment inside it would be lost.',
      suggestRewrite: 'Rewrite as `{{replacement}}` (only if: {{reasons}}).',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          assumeInt32OperandsIKnowWhatImDoing: {
            type: 'boolean',
            description:
              'UNSAFE. Treat operands whose type is `number` (needs type information) as int32 integers, turning such suggestions into fixes. NaN, fractions, ±Infinity or values beyond int32 then make the fixed code compute something else.',
          },
          bigint: {
            type: 'boolean',
            description:
              'Also report two-sided bigint checks and offer `BigInt.asUintN(64, x - lo) < size` (a fix only where proven equivalent): measured faster on Node 20 and 22, slower on Node 24 (docs/measurements.md), so off by default.',
          },
        },
      },
    ],
    defaultOptions: [{ assumeInt32OperandsIKnowWhatImDoing: false, bigint: false }],
  },
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    let env: ReturnType<typeof createOperandEnv> | undefined;
    let source: SourceInput | undefined;
    const text = (node: TSESTree.Node) => sourceCode.getText(node);

    function report(check: RangeCheck, input: SourceInput): void {
      env ??= createOperandEnv(sourceCode);
      const verdict = judgeRangeCheck(check, env, {
        assumeInt32: options.assumeInt32OperandsIKnowWhatImDoing === true,
        bigint: options.bigint === true,
      });
      if (verdict.kind === 'ignore') return;
      const loc = {
        start: sourceCode.getLocFromIndex(check.range[0]),
        end: sourceCode.getLocFromIndex(check.range[1]),
      };
      const operand = text(check.operand);
      // Printed only for a check that is reported, in the one form the verdict is about.
      const replacement = buildReplacement(check, input, verdict.domain === 'bigint' ? 'uint64' : 'uint32');
      if (replacement === undefined) {
        context.report({ loc, messageId: 'rangeCheckNoFix', data: { operand } });
        return;
      }
      // Without semicolons, a statement now starting with `(` would continue the previous line.
      const fixText = asiSafeReplacement(sourceCode, check.first, check.range[0], replacement);
      const fix = (fixer: TSESLint.RuleFixer) => fixer.replaceTextRange([check.range[0], check.range[1]], fixText);
      if (verdict.kind === 'fix') {
        context.report({ loc, messageId: 'rangeCheck', data: { operand, replacement }, fix });
        return;
      }
      const reasons = [...new Set(verdict.reasons.map((r) => describeReason(r, text)))];
      // Several reasons on one line were a wall of text: one a line, numbered, and the suggestion points at them.
      const listed = reasons.length === 1 ? ` ${reasons.join('')}` : reasons.map((r, i) => `\n  ${String(i + 1)}. ${r}`).join(';');
      const condition = reasons.length === 1 ? reasons.join('') : `none of the ${String(reasons.length)} reasons in the report applies`;
      context.report({
        loc,
        messageId: 'rangeCheckUnproven',
        data: { operand, replacement, reasons: listed },
        suggest: [{ messageId: 'suggestRewrite', data: { replacement, reasons: condition }, fix }],
      });
    }

    return {
      LogicalExpression(node) {
        if (node.operator === '??') return;
        // Visit each chain once, from its root.
        if (node.parent.type === 'LogicalExpression' && node.parent.operator === node.operator) return;
        source ??= { text: sourceCode.text, comments: sourceCode.getAllComments() };
        for (const check of findRangeChecks(node, source)) report(check, source);
      },
    };
  },
});
