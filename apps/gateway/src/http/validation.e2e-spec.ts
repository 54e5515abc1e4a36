import { Body, Controller, Get, Module, Param, Post, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Min } from 'class-validator';
import request from 'supertest';
import { PageQueryDto } from '@lib/contracts';
import { testLogger } from '@lib/testing';
import { ProblemFilter } from './problem.filter';
import { AcceptsMediaTypes, applyRequestRules } from './request-rules';

class CreateThingDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[a-z0-9_.-]{3,32}$/, { message: 'must be 3-32 characters of [a-z0-9_.-]' })
  name!: string;

  @ApiProperty()
  @IsInt()
  @Min(1)
  points!: number;
}

class NoteDto {
  @ApiProperty()
  @IsString()
  text!: string;
}

@Controller('things')
class ThingsController {
  @Post()
  create(@Body() body: CreateThingDto) {
    return body;
  }
  @Get()
  list(@Query() query: PageQueryDto) {
    return { limit: query.limit ?? 20, cursor: query.cursor ?? null };
  }
  @Post(':name/pokes')
  poke(@Param('name') name: string) {
    return { poked: name };
  }
  @Get(':name')
  get(@Param('name') name: string) {
    return { name };
  }
  @Post('forms')
  @AcceptsMediaTypes('application/x-www-form-urlencoded')
  form(@Body() body: NoteDto) {
    return body;
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

describe('gateway validation: contracts DTOs, unknown fields refused, problem+json naming each field', () => {
  let app: NestFastifyApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(ThingsModule, new FastifyAdapter(), {
      logger: false,
    });
    app.useGlobalFilters(new ProblemFilter(testLogger()));
    applyRequestRules(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  it('accepts a valid body and converts query numbers', async () => {
    await http()
      .post('/things')
      .send({ name: 'shop_1', points: 5 })
      .expect(201, { name: 'shop_1', points: 5 });
    await http().get('/things?limit=50').expect(200, { limit: 50, cursor: null });
  });

  it('refuses unknown fields by name instead of dropping them', async () => {
    const res = await http().post('/things').send({ name: 'shop_1', points: 5, isAdmin: true }).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.errors).toEqual([{ field: 'isAdmin', message: 'is not an allowed field' }]);
  });

  it('names every failing field and its rule', async () => {
    const res = await http().post('/things').send({ name: 'X!', points: 0 }).expect(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'must be 3-32 characters of [a-z0-9_.-]' },
        { field: 'points', message: 'points must not be less than 1' },
      ]),
    );
  });

  it('checks list paging: limit is 1-100', async () => {
    const zero = await http().get('/things?limit=0').expect(400);
    expect(zero.body.errors).toEqual([{ field: 'limit', message: 'limit must not be less than 1' }]);
    const big = await http().get('/things?limit=101').expect(400);
    expect(big.body.errors).toEqual([{ field: 'limit', message: 'limit must not be greater than 100' }]);
    const junk = await http().get('/things?limit=abc&sort=desc').expect(400);
    const fields = new Set(junk.body.errors.map((e: { field: string }) => e.field));
    expect(fields).toEqual(new Set(['limit', 'sort']));
    expect(junk.body.errors).toContainEqual({ field: 'limit', message: 'limit must be an integer number' });
  });

  it('takes no coerced types: a string or a boolean is not a number', async () => {
    for (const points of ['5', true, '0x5', [5]]) {
      const res = await http().post('/things').send({ name: 'shop_1', points }).expect(400);
      expect(new Set(res.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['points']));
    }
  });

  it('reads a query number only from a plain decimal integer', async () => {
    for (const limit of ['1e1', '%205', '5%20', '0x10', '5.0', '+5', '', '10&limit=20']) {
      const res = await http().get(`/things?limit=${limit}`).expect(400);
      expect(res.body.errors).toContainEqual({ field: 'limit', message: 'limit must be an integer number' });
    }
    await http().get('/things?limit=007').expect(200, { limit: 7, cursor: null });
  });

  it('refuses control characters in bodies (but tab, LF and CR in text), queries and path params', async () => {
    const body = await http().post('/things').send({ name: 'a\u0000b', points: 1 }).expect(400);
    expect(body.body.errors).toEqual([
      { field: 'name', message: expect.stringMatching(/control characters/) },
    ]);
    const key = await http().post('/things/forms').type('form').send('te%01xt=x').expect(400);
    expect(key.body.errors).toEqual([{ field: 'te\u0001xt', message: expect.stringMatching(/control/) }]);
    await http().post('/things/forms').type('form').send('text=line%0Aone%09two%0D').expect(201);
    const query = await http().get('/things?cursor=a%09b').expect(400);
    expect(query.body.errors).toEqual([{ field: 'cursor', message: expect.stringMatching(/control/) }]);
    const param = await http().get('/things/a%7Fb').expect(400);
    expect(param.body.errors).toEqual([{ field: 'name', message: expect.stringMatching(/control/) }]);
    await http().get('/things/a%20b').expect(200, { name: 'a b' });
  });

  it('refuses a body, or a query, on a route whose handler declares none, naming each field', async () => {
    await http().post('/things/x/pokes').expect(201, { poked: 'x' });
    await http().post('/things/x/pokes').send({}).expect(201, { poked: 'x' });
    const fields = await http().post('/things/x/pokes').send({ userId: 'u', code: 'c' }).expect(400);
    expect(fields.body.errors).toEqual([
      { field: 'userId', message: 'is not an allowed field' },
      { field: 'code', message: 'is not an allowed field' },
    ]);
    for (const raw of ['[]', 'null', '"x"', '7']) {
      const res = await http().post('/things/x/pokes').set('content-type', 'application/json').send(raw);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'body', message: 'this route takes no body' }]);
    }
    const get = await http().get('/things/x').send({ a: 1 }).expect(400);
    expect(get.body.errors).toEqual([{ field: 'a', message: 'is not an allowed field' }]);
    await http().get('/things/x').send({}).expect(200);
    const query = await http().get('/things/x?debug=1').expect(400);
    expect(query.body.errors).toEqual([{ field: 'debug', message: 'is not an allowed field' }]);
  });

  it('takes JSON bodies only, unless the route opts in to another media type', async () => {
    for (const [type, raw] of [
      ['application/x-www-form-urlencoded', 'name=shop_1&points=5'],
      ['text/plain', 'name=shop_1'],
      ['application/xml', '<thing/>'],
      ['multipart/form-data; boundary=x', '--x--'],
    ]) {
      const res = await http().post('/things').set('content-type', type).send(raw).expect(415);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
    const none = await http().post('/things').set('content-length', '2').send('{}').unset('content-type');
    expect([none.status, none.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    await http()
      .post('/things')
      .set('content-type', 'application/json; charset=utf-8')
      .send('{"name":"shop_1","points":5}')
      .expect(201);
    await http().post('/things/forms').type('form').send('text=hello').expect(201, { text: 'hello' });
    const json = await http().post('/things/forms').send({ text: 'hello' }).expect(415);
    expect(json.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a body nested deeper than 64 levels before validating it', async () => {
    const nested = (levels: number) => '['.repeat(levels - 1) + ']'.repeat(levels - 1);
    const deep = await http()
      .post('/things')
      .set('content-type', 'application/json')
      .send(`{"name":${nested(65)}}`)
      .expect(400);
    expect(deep.body.errors).toEqual([
      { field: 'body', message: 'must not be nested more than 64 levels deep' },
    ]);
    const deepest = await http()
      .post('/things')
      .set('content-type', 'application/json')
      .send(`{"name":${nested(64)}}`)
      .expect(400);
    const fields = new Set(deepest.body.errors.map((e: { field: string }) => e.field));
    expect(fields).toEqual(new Set(['name', 'points']));
  });
});
