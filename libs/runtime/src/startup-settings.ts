import { EnvReader } from '@lib/config';

/** How an app starts, read once at boot by readStartupSettings. */
export class StartupSettings {
  constructor(
    /**
     * MIGRATE_ON_START (default true): run the schema step (collections, indexes, migrations)
     * before serving. false where the deployment runs `main.js migrate` instead, as the Helm
     * chart's migration Job does before any new pod starts.
     */
    readonly migrateOnStart: boolean,
  ) {}
}

/** A bad value stops the app with a ConfigError naming the variable. */
export function readStartupSettings(app: string, env: NodeJS.ProcessEnv = process.env): StartupSettings {
  const reader = new EnvReader(env);
  const raw = (reader.get('MIGRATE_ON_START') ?? '').trim().toLowerCase();
  if (raw !== '' && raw !== 'true' && raw !== 'false') {
    reader.problem(`MIGRATE_ON_START must be true or false (got "${reader.get('MIGRATE_ON_START')}")`);
  }
  reader.finish(app);
  return new StartupSettings(raw !== 'false');
}
