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
      to: { path: '^libs/(messaging|persistence|redis|observability|runtime|testing|config|paging)/' },
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
      name: 'storage-only-through-ports',
      severity: 'error',
      comment:
        'Use cases, queries, consumers and controllers reach storage through ports/ (abstract classes); only the area module (which binds ports to adapters) and the adapters themselves import mongo/ or adapters/.',
      from: {
        path: '^apps/(?!admin-console/|gateway/)[^/]+/src/[^/]+/',
        pathNot: ['/(mongo|adapters)/', '\\.module\\.ts$', '\\.(int|e2e)-spec\\.ts$'],
      },
      to: { path: '^apps/[^/]+/src/[^/]+/(mongo|adapters)/' },
    },
    {
      name: 'areas-meet-through-modules',
      severity: 'error',
      comment:
        "An area reaches another area of its service only through what that area's module exports: its ports/ (the abstract classes it provides), its domain/ types and its <area>.module.ts. Never its use cases, queries, adapters or controllers.",
      from: { path: '^apps/(?!admin-console/|gateway/)([^/]+)/src/([^/]+)/' },
      to: {
        path: '^apps/$1/src/[^/]+/',
        pathNot: [
          '^apps/$1/src/$2/',
          '^apps/$1/src/[^/]+/(ports|domain)/',
          '^apps/$1/src/[^/]+/[^/]+\\.module\\.ts$',
        ],
      },
    },
    {
      name: 'no-test-support-in-apps',
      severity: 'error',
      comment:
        'Production code never imports test support (libs/testing, test/). A lib may keep rigs for its own tests in a testing/ folder, which the build leaves out.',
      from: {
        path: '^(apps|libs)/',
        pathNot: ['\\.(spec|int-spec|e2e-spec)\\.ts$', '^libs/testing/', '^libs/[^/]+/src/[^.]*testing/'],
      },
      to: { path: '^(libs/testing|test)/' },
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
