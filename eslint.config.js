// Lint problems are errors, never warnings: a warning nobody reads is a rule nobody keeps.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // A promise nobody awaits or catches becomes an unhandled rejection: a store error in background
    // work would crash the process. Type-aware, so only for src and the sandbox (the bot runs with it in
    // every test), where it matters and stays fast.
    files: ['src/**/*.ts', 'sandbox/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // The sandbox (sandbox/) is dev tooling plugged into the bot from outside (startBot's options, its
    // own process entry); the product never imports it, so none of it can reach dist/ or production.
    files: ['src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+sandbox(/|$)',
              message:
                'src/ must not import the sandbox; plug sandbox behaviour in through startBot options.',
            },
          ],
        },
      ],
    },
  },
  {
    // Plain-text Teams messages render Markdown: outside text in them goes through chatText
    // (src/text/plain.ts), and an untagged template or concatenation there is how it would slip in.
    files: ['src/teams/**', 'src/notices/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.property.name=/^(sendActivity|text)$/] > :matches(TemplateLiteral[expressions.length>0], BinaryExpression[operator='+'])",
          message: 'Build message text with chatText`…` so outside text is neutralised.',
        },
        {
          selector:
            "Property[key.name='text'] > :matches(TemplateLiteral[expressions.length>0], BinaryExpression[operator='+'])",
          message: 'Build message text with chatText`…` so outside text is neutralised.',
        },
      ],
    },
  },
  {
    files: ['test/**', 'bench/**', 'sandbox/run.ts', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
