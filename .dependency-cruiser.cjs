/**
 * Layer rules, run by `npm test`. Domain code (any `domain/` folder) is plain TypeScript: it may
 * not import the framework, a driver, HTTP or messaging, so business rules stay testable and
 * portable. Apps never import each other; what they share lives in libs/.
 */
const FORBIDDEN_IN_DOMAIN = [
  '^@nestjs/',
  '^mongoose$',
  '^mongodb$',
  '^ioredis$',
  '^amqplib$',
  '^fastify$',
  '^@fastify/',
  '^express$',
  '^passport',
  '^(node:)?(http|https|http2|net)$',
  '^axios$',
  '^undici$',
  '^supertest$',
];

module.exports = {
  forbidden: [
    {
      name: 'domain-stays-pure',
      severity: 'error',
      comment: 'domain/ imports nothing from NestJS, database or broker drivers, or HTTP.',
      from: { path: '/domain/' },
      to: { path: FORBIDDEN_IN_DOMAIN.map((p) => p.replace(/^\^/, '^(node_modules/)?')) },
    },
    {
      name: 'domain-only-pure-libs',
      severity: 'error',
      comment: 'domain/ may use @lib/errors and @lib/contracts types only, not infrastructure libs.',
      from: { path: '/domain/' },
      to: { path: '^libs/(messaging|persistence|redis|observability|runtime|testing|config)/' },
    },
    {
      name: 'no-app-to-app',
      severity: 'error',
      comment: 'No app imports another app. Share through libs/.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-not-from-apps',
      severity: 'error',
      comment: 'libs/ never depend on an app.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'mongoose-only-in-adapters',
      severity: 'error',
      comment: 'mongoose is imported only by adapters (persistence, outbox/consumer stores, mongo/ folders).',
      from: {
        path: '^(apps|libs)/',
        pathNot: [
          '^libs/persistence/',
          '^libs/messaging/src/(outbox|consumer)/',
          '/mongo/',
          '^libs/testing/',
          '\\.(int|e2e)-spec\\.ts$',
          '^libs/messaging/src/messaging\\.module\\.ts$',
        ],
      },
      to: { path: '^(node_modules/)?mongoose' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    moduleSystems: ['cjs', 'es6'],
  },
};
