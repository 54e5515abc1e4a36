import { IsInt, IsString, Min } from 'class-validator';
import { PageQueryDto } from '@lib/contracts';
import { DomainError } from '@lib/errors';
import { RpcRequestPipe } from './rpc-payload';

class RedeemDto {
  @IsString()
  redemptionId!: string;

  @IsInt()
  @Min(1)
  points!: number;
}

function refusal(pipe: RpcRequestPipe, value: unknown): DomainError {
  try {
    pipe.transform(value);
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('the pipe accepted it');
}

describe('RPC payload validation: the same contracts DTOs and rules as the gateway', () => {
  const pipe = new RpcRequestPipe({ body: RedeemDto, query: PageQueryDto });

  it('passes a valid request through, typed as its DTOs', () => {
    const req = pipe.transform({
      caller: { accessToken: 'token', ip: '10.0.0.1' },
      body: { redemptionId: 'r-1', points: 10 },
      query: { limit: 50 },
    });
    expect(req.body).toBeInstanceOf(RedeemDto);
    expect(req.body).toEqual({ redemptionId: 'r-1', points: 10 });
    expect(req.query).toMatchObject({ limit: 50 });
    expect(req.caller).toEqual({ accessToken: 'token', ip: '10.0.0.1' });
  });

  it('refuses wrong types, missing fields and unknown fields, naming each', () => {
    const err = refusal(pipe, { body: { points: '10', admin: true } });
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(new Set(err.errors?.map((e) => e.field))).toEqual(new Set(['admin', 'points', 'redemptionId']));
  });

  it('refuses a body where the RPC takes none, and unknown envelope or caller fields', () => {
    const bodiless = new RpcRequestPipe({});
    expect(refusal(bodiless, { body: { groupId: 'g' } }).errors).toEqual([
      { field: 'groupId', message: 'is not an allowed field' },
    ]);
    expect(bodiless.transform({ body: {} })).toEqual({ caller: undefined });
    expect(refusal(bodiless, { sudo: true }).errors?.[0].field).toBe('sudo');
    expect(refusal(bodiless, { caller: { accessToken: 'x', roles: ['admin'] } }).errors?.[0].field).toBe(
      'caller.roles',
    );
    expect(refusal(bodiless, { caller: { accessToken: 42 } }).errors?.[0].field).toBe('caller.accessToken');
  });

  it('refuses a payload that is not an object, or a body that is not one', () => {
    for (const value of [null, 'text', [1], 7]) expect(refusal(pipe, value).code).toBe('VALIDATION_FAILED');
    expect(refusal(pipe, { body: [1, 2] }).errors?.[0].field).toBe('body');
    expect(
      refusal(pipe, { body: { redemptionId: 'r', points: 1 }, query: 'limit=5' }).errors?.[0].field,
    ).toBe('query');
  });

  it('checks the paging rule again: limit 1-100', () => {
    expect(
      refusal(pipe, { body: { redemptionId: 'r', points: 1 }, query: { limit: 101 } }).errors?.[0].field,
    ).toBe('limit');
  });
});
