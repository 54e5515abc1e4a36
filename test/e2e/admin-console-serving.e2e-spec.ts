import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { TestIsolation } from '@lib/testing';
import { startAuthService, type AuthService } from '../support/auth/auth-service';
import { startGateway } from '../support/stack';

describe('gateway: the admin console at /admin (real Redis and RabbitMQ)', () => {
  const iso = new TestIsolation('console-serving');
  const build = mkdtempSync(join(os.tmpdir(), 'console-build-'));
  let built: NestFastifyApplication;
  let missing: NestFastifyApplication;
  // A gateway is ready once it has read auth's token revocation list: auth runs beside it.
  let auth: AuthService;

  beforeAll(async () => {
    mkdirSync(join(build, 'assets'));
    writeFileSync(join(build, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(build, 'assets', 'index-abc123.js'), 'console.log("console")');
    auth = await startAuthService(iso);
    built = await startGateway(iso.config('gateway', { adminConsoleDir: build }));
    missing = await startGateway(iso.config('gateway', { adminConsoleDir: join(build, 'nowhere') }));
  });

  afterAll(async () => {
    await built?.close();
    await missing?.close();
    await auth?.close();
    await iso.cleanup();
    rmSync(build, { recursive: true, force: true });
  });

  it('redirects /admin to /admin/ and serves the app there, never cached', async () => {
    await request(built.getHttpServer()).get('/admin').expect(308).expect('location', '/admin/');
    const page = await request(built.getHttpServer()).get('/admin/').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.text).toContain('<div id="root">');
  });

  it('answers every console page (deep links, reloads) with the app', async () => {
    for (const path of ['/admin/users', '/admin/coupon-books?bookId=x', '/admin/points/deep/link']) {
      const res = await request(built.getHttpServer()).get(path).expect(200);
      expect(res.text).toContain('<div id="root">');
    }
  });

  it('serves the hashed assets with a year-long immutable cache, and the security headers', async () => {
    const js = await request(built.getHttpServer()).get('/admin/assets/index-abc123.js').expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
  });

  it('runs no inline or foreign script on console pages (stricter than the docs UI)', async () => {
    const csp = (await request(built.getHttpServer()).get('/admin/users').expect(200)).headers[
      'content-security-policy'
    ];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const docs = (await request(built.getHttpServer()).get('/docs').expect(200)).headers[
      'content-security-policy'
    ];
    expect(docs).toMatch(/script-src 'self' 'unsafe-inline'/);
  });

  it('leaves the API as it was: /v1 routes and their problem+json 404s', async () => {
    const res = await request(built.getHttpServer()).get('/v1/admin').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('without a build, says how to make one instead of a bare 404', async () => {
    const res = await request(missing.getHttpServer()).get('/admin/').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(res.body.detail).toContain('npm run build');
  });
});
