// Lint for the collector, the cross-package tests, the stack-as-code and the scripts (the panel has its own,
// Grafana's scaffolded config in grafana-plugin/). Formatting is prettier's job: eslint-config-prettier turns off
// every rule it would fight.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', 'grafana-plugin/', 'test/artifacts/', '**/*.tsbuildinfo', '**/*.generated.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_name` marks a parameter an interface requires but this implementation does not use.
      // Control characters in a regex are how untrusted text is checked for them here (labels, names, lines).
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  prettier,
);
