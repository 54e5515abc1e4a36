import { preloadTracing } from '@lib/observability';

// Every app's main.ts imports @lib/runtime before its modules, and this file is the first thing
// @lib/runtime loads: with tracing on, the MongoDB and ioredis instrumentations hook `require`
// here, before create-app.ts pulls in @lib/messaging, @lib/persistence and @lib/redis (and with
// them mongoose, the MongoDB driver and ioredis). @lib/observability loads neither.
preloadTracing();
