import tseslint from 'typescript-eslint';
import n8nCommunityNodes from '@n8n/eslint-plugin-community-nodes';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'server/pages/public/**', 'data/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // n8n's rules for verified community nodes: nodes and credentials import only n8n-workflow
    // (and luxon), and read no environment variables or files.
    files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
    plugins: { '@n8n/community-nodes': n8nCommunityNodes },
    rules: {
      ...n8nCommunityNodes.configs.recommended.rules,
      // Nodes talk to the service over HTTP only; they never reach into its code.
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**', '**/test/**'], message: 'n8n nodes use the HTTP API, not service code' }] }],
    },
  },
);
