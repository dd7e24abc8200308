// PLACEHOLDER written by the eslint helper so the plugin index builds; the compiler helper owns
// this file and replaces it with the real rule (checkMarkers from hotpath/compiler). Reports nothing.
import { createRule } from '../create-rule.js';

export default createRule<[], never>({
  name: 'valid-static-variable-load',
  meta: {
    type: 'problem',
    docs: {
      description: 'Report misuse of STATIC_VARIABLE_LOAD (the compiler pass diagnostics HP1xxx)',
      recommended: true,
      requiresTypeChecking: true,
    },
    messages: {},
    schema: [],
    defaultOptions: [],
  },
  create() {
    return {};
  },
});
