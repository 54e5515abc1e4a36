import { IsInt, IsOptional, IsString, Min } from 'class-validator';
import { DomainError } from '@lib/errors';
import { LockCouponDto } from './coupons/coupon-books.dto';
import { PageQueryDto } from './pagination.dto';
import { MAX_INPUT_DEPTH, inputErrors, validateDto } from './validation';

class NoteDto {
  @IsString()
  text!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  count?: number;
}

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('it was accepted');
}

/** `depth` nested arrays, innermost empty: `nested(1)` is `[]`. */
function nested(depth: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

describe('the input rules every part meets before its DTO (libs/contracts validation)', () => {
  it('refuses control characters in query and path values, naming the field', () => {
    for (const c of ['\u0000', '\u0009', '\u000a', '\u000d', '\u001f', '\u007f']) {
      expect(inputErrors({ query: `a${c}b` }, 'query')).toEqual([
        { field: 'query', message: expect.stringMatching(/control characters/) },
      ]);
      expect(inputErrors(`a${c}b`, 'params', { field: 'code' })).toEqual([
        { field: 'code', message: expect.stringMatching(/control characters/) },
      ]);
    }
    expect(inputErrors({ query: 'a b', list: ['x', 'y'] }, 'query')).toEqual([]);
    expect(inputErrors({ query: 'é\u0080\u00a0' }, 'query')).toEqual([]);
  });

  it('lets tab, LF and CR through in body strings only, and names nested fields and keys', () => {
    expect(inputErrors({ text: 'one\r\ntwo\tthree' }, 'body')).toEqual([]);
    const errors = inputErrors({ a: { b: ['ok', 'no\u0000'] }, 'k\u0001': 1, 'tab\t': 2 }, 'body');
    expect(errors).toHaveLength(3);
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'a.b.1', message: expect.stringMatching(/other than tab, line feed and carriage return/) },
        { field: 'k\u0001', message: expect.stringMatching(/control characters/) },
        { field: 'tab\t', message: expect.stringMatching(/control characters/) },
      ]),
    );
    expect(inputErrors('x\u0000', 'body')).toEqual([{ field: 'body', message: expect.any(String) }]);
  });

  it(`refuses nesting past ${MAX_INPUT_DEPTH} levels, without recursion, however deep`, () => {
    expect(inputErrors(nested(MAX_INPUT_DEPTH), 'body')).toEqual([]);
    const tooDeep = [
      { field: 'body', message: `must not be nested more than ${MAX_INPUT_DEPTH} levels deep` },
    ];
    expect(inputErrors(nested(MAX_INPUT_DEPTH + 1), 'body')).toEqual(tooDeep);
    expect(inputErrors(nested(1_000_000), 'body')).toEqual(tooDeep);
    expect(inputErrors({ a: nested(MAX_INPUT_DEPTH) }, 'body')).toEqual(tooDeep);
    // checkControl: false (events, the gateway's depth hook) still checks the depth.
    expect(inputErrors(nested(100), 'body', { checkControl: false })).toEqual(tooDeep);
    expect(inputErrors({ a: '\u0000' }, 'body', { checkControl: false })).toEqual([]);
  });
});

describe('validateDto: what the services check again at their RPC boundary', () => {
  it('coerces no type in a body: "60" and true are not seconds', () => {
    for (const seconds of ['60', true, '1', [60]]) {
      expect(refusal(() => validateDto(LockCouponDto, { seconds })).errors?.map((e) => e.field)).toContain(
        'seconds',
      );
    }
    expect(validateDto(LockCouponDto, { seconds: 60 })).toEqual({ seconds: 60 });
  });

  it('reads a query number from a plain decimal integer string only, and passes numbers through', () => {
    expect(validateDto(PageQueryDto, { limit: '20' }, { part: 'query' })).toMatchObject({ limit: 20 });
    expect(validateDto(PageQueryDto, { limit: 20 }, { part: 'query' })).toMatchObject({ limit: 20 });
    for (const limit of ['1e1', ' 5', '5 ', '0x10', '5.0', '+5', '', 'abc', ['5']]) {
      const err = refusal(() => validateDto(PageQueryDto, { limit }, { part: 'query' }));
      expect(err.errors).toContainEqual({ field: 'limit', message: 'limit must be an integer number' });
    }
  });

  it('refuses control characters before the DTO, by the part the value came from', () => {
    expect(refusal(() => validateDto(NoteDto, { text: 'a\u0000b' })).errors).toEqual([
      { field: 'text', message: expect.stringMatching(/control characters/) },
    ]);
    expect(validateDto(NoteDto, { text: 'a\tb' })).toEqual({ text: 'a\tb' });
    expect(refusal(() => validateDto(PageQueryDto, { cursor: 'a\tb' }, { part: 'query' })).errors).toEqual([
      { field: 'cursor', message: expect.stringMatching(/control characters/) },
    ]);
    // Events (tolerant) carry what a service already accepted: not checked for them again.
    expect(validateDto(NoteDto, { text: 'a\u0000b', extra: 1 }, { tolerant: true })).toEqual({
      text: 'a\u0000b',
    });
  });

  it('refuses a payload nested 100,000 deep with VALIDATION_FAILED naming body, not a stack overflow', () => {
    const err = refusal(() => validateDto(NoteDto, { text: 'x', extra: nested(100_000) }));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.errors).toEqual([{ field: 'body', message: expect.stringMatching(/nested/) }]);
  });
});
