import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { WebhookReceiver } from '../test/support/webhook-receiver';
import { databaseOf, rabbitUrlOf, sharedAppEnv, type RunIdentity } from './app-env';
import { runDrill, type DrillContext } from './drill-runner';
import type { Engines, OnExit, RunOptions } from './environment';
import { secs } from './figures';
import { GatewayClient } from './gateway-client';
import { missingFor, PLANS } from './plans';
import { APPS, Platform } from './platform';
import { profileFor } from './profile';
import { DrillReport, summary } from './report';
import { seedWorld } from './seed';
import { removeRunData } from './shared-cleanup';

export interface DrillDeps {
  root: string;
  options: RunOptions;
  engines: Engines;
  onExit: OnExit;
  log: (line: string) => void;
  /** When the whole run began (the build and the engines count towards its wall time). */
  startedAt: number;
}

/** A run's secrets: an RS256 key for auth, the bootstrap admin's password. Nothing outlives the run. */
function runIdentity(runDir: string): RunIdentity {
  const runId = randomBytes(3).toString('hex');
  const jwtKeyFile = join(runDir, 'jwt-private.pem');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(jwtKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return {
    runId,
    jwtKeyFile,
    admin: { username: 'drills-admin', password: randomBytes(12).toString('base64url') },
  };
}

/**
 * Runs the drills against apps built into dist/apps and the engines the entry provides; returns
 * the exit code (0: every check passed; 1: a check failed). Setup failures throw.
 */
export async function runDrills(deps: DrillDeps): Promise<number> {
  const { options, engines, log } = deps;
  const run = runIdentity(options.runDir);
  const profile = profileFor(options);
  const shared = sharedAppEnv(engines, run);
  const platform = await Platform.create({
    root: deps.root,
    runDir: options.runDir,
    replicasPerApp: 2,
    envOf: (app, index) => ({
      ...shared,
      MONGODB_DB: databaseOf(app, run.runId, engines.shared),
      RABBITMQ_URL: rabbitUrlOf(engines, options.rabbitUrlMode, APPS.indexOf(app), index),
    }),
  });
  // Exit hooks run newest first: the apps stop before the run's data goes.
  deps.onExit(() => removeRunData(engines, run.runId));
  deps.onExit(Object.assign(() => platform.stop(), { sync: () => platform.stopSync() }));

  let t = Date.now();
  log(`run ${run.runId}: migrating (each app's schema step)…`);
  await platform.migrate();
  log(`migrated in ${secs(Date.now() - t)}; starting 2 replicas of ${APPS.length} apps…`);
  t = Date.now();
  await platform.startAll();
  log(
    `${platform.replicas.length} replicas ready in ${secs(Date.now() - t)}; RabbitMQ URLs ${options.rabbitUrlMode}`,
  );

  const receiver = await WebhookReceiver.start();
  deps.onExit(() => receiver.close());
  const api = new GatewayClient(platform.gatewayPorts());
  const mongo = new MongoClient(engines.mongoUri);
  deps.onExit(() => mongo.close());
  t = Date.now();
  const world = await seedWorld(api, {
    runId: run.runId,
    admin: run.admin,
    receiverUrl: receiver.url,
    members: profile.members,
    startingPoints: profile.startingPoints,
  });
  log(`seeded ${world.members.length} members in ${secs(Date.now() - t)}`);

  const ctx: DrillContext = {
    api,
    world,
    platform,
    engines,
    profile,
    receiver,
    dbs: {
      loyalty: mongo.db(databaseOf('loyalty', run.runId, engines.shared)),
      promotion: mongo.db(databaseOf('promotion', run.runId, engines.shared)),
      dispatcher: mongo.db(databaseOf('webhook-dispatcher', run.runId, engines.shared)),
    },
    allRecords: [...world.funding],
    log,
    runDir: options.runDir,
  };
  const reports: DrillReport[] = [];
  for (const name of options.drills) {
    const missing = missingFor(name, engines);
    if (missing) {
      log(`${name}: skipped, it needs ${missing}`);
      continue;
    }
    const report = new DrillReport(name);
    reports.push(report);
    await runDrill(ctx, PLANS[name], report).catch((err: Error) =>
      report.check('the drill ran to its end', false, err.stack ?? err.message),
    );
  }

  console.log(summary(reports, Date.now() - deps.startedAt));
  api.close();
  return reports.some((r) => r.failed) ? 1 : 0;
}
