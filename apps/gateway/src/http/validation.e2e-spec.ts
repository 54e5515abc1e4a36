import { Body, Controller, Get, Module, Post, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Min } from 'class-validator';
import request from 'supertest';
import { PageQueryDto } from '@lib/contracts';
import { testLogger } from '@lib/testing';
import { ProblemFilter } from './problem.filter';
import { createValidationPipe } from './validation';

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
    app.useGlobalPipes(createValidationPipe());
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
});
