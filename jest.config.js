/**
 * One Jest run for unit (*.spec.ts), integration (*.int-spec.ts) and end-to-end (*.e2e-spec.ts)
 * tests. Integration and e2e tests need the infrastructure env that `npm test` provides; each
 * test file isolates itself (own database, queue prefix and Redis key prefix; libs/testing).
 */
const { compilerOptions } = require('./tsconfig.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testRegex: '(apps|libs|test|bench)/.*\\.(spec|int-spec|e2e-spec)\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/fixtures/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper,
  testTimeout: 60000,
  setupFiles: ['reflect-metadata', '<rootDir>/test/setup-env.js'],
};
