// ESLint flat config for the whole monorepo.
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Every letter a UI string may start with: Latin, Russian and the Kazakh additions.
const LETTERS = '[A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]';
const TEXT_ATTRIBUTES = '/^(title|placeholder|aria-label|alt)$/';
const USE_T = 'Hard-coded UI text: add a key to web/src/i18n/ru.ts (and kk.ts, en.ts) and render it with t().';

export default defineConfig([
  globalIgnores(['**/dist/**', '**/node_modules/**', '**/data/**', '**/coverage/**', '**/test-results/**']),
  {
    files: ['{packages,server,web,sim,e2e,bench,scripts}/**/*.{ts,tsx,mts,cts}', '*.{ts,mts}'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['{packages,server,sim,e2e,bench,scripts}/**/*.{ts,js,mjs}', '*.{js,mjs,ts}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['web/src/**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: `JSXText[value=/${LETTERS}/]`, message: USE_T },
        { selector: `JSXAttribute[name.name=${TEXT_ATTRIBUTES}] > Literal[value=/${LETTERS}/]`, message: USE_T },
        {
          selector: `JSXAttribute[name.name=${TEXT_ATTRIBUTES}] > JSXExpressionContainer > Literal[value=/${LETTERS}/]`,
          message: USE_T,
        },
        {
          selector: `JSXAttribute[name.name=${TEXT_ATTRIBUTES}] > JSXExpressionContainer > TemplateLiteral > TemplateElement[value.raw=/${LETTERS}/]`,
          message: USE_T,
        },
      ],
    },
  },
]);
