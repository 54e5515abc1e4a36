import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { freePort, TestIsolation } from '@lib/testing';
import { createApp, listen } from './create-app';
import { platformModules } from './platform-modules';

@Module({})
class ProbeModule {}

/**
 * METRICS_PORT through the runtime every app boots with (platformModules, createApp, listen): the
 * metrics server opens when the app listens, not when it only initialises (`main.js migrate`,
 * tests), and closes with the app.
 */
describe('an app with a metrics port (real RabbitMQ)', () => {
  const iso = new TestIsolation('metricsrt');
  const apps: NestFastifyApplication[] = [];

  const start = async (metricsPort?: number) => {
    const config = iso.config('probe', { metricsPort });
    const app = await createApp({
      module: ProbeModule,
      imports: platformModules(config, { defaultMetrics: false }),
    });
    apps.push(app);
    return app;
  };
  const portOf = (app: NestFastifyApplication) => (app.getHttpServer().address() as AddressInfo).port;
  const get = (port: number, path: string) => fetch(`http://127.0.0.1:${port}${path}`);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await iso.cleanup();
  });

  it('serves /metrics there once listening, 404 on its own port, and closes it with the app', async () => {
    const metricsPort = await freePort();
    const app = await start(metricsPort);
    await app.init();
    // Initialised only: no port of any kind yet.
    await expect(get(metricsPort, '/metrics')).rejects.toThrow();

    await listen(app, 0);
    const scrape = await get(metricsPort, '/metrics');
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toContain('app="probe"');
    expect((await get(portOf(app), '/metrics')).status).toBe(404);
    expect((await get(portOf(app), '/health/live')).status).toBe(200);

    await app.close();
    await expect(get(metricsPort, '/metrics')).rejects.toThrow();
  });

  it('without one, serves /metrics on its own port, as before', async () => {
    const app = await start(undefined);
    await listen(app, 0);
    const scrape = await get(portOf(app), '/metrics');
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toContain('app="probe"');
  });
});
