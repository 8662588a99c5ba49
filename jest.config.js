/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  // Every test file starts the service in its worker; what a file leaves behind adds up over ~90 files. A
  // worker past this size after a file is replaced by a fresh one (\`npm test\` runs one worker at a time).
  workerIdleMemoryLimit: '1536MB',
};
