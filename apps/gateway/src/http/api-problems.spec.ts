import { ERROR_CATALOGUE, type ErrorCode, type ErrorCodeEntry } from '@lib/errors';
import { problemResponses, problemSchema } from './api-problems';

const PROBLEM = { $ref: '#/components/schemas/ProblemDto' };

describe('problem responses in the OpenAPI document, from ERROR_CATALOGUE', () => {
  it('is ProblemDto plus the extra members of the codes a response lists', () => {
    expect(problemSchema(['INSUFFICIENT_POINTS', 'INSUFFICIENT_PAYER_POINTS', 'PATTERN_CAPACITY'])).toEqual({
      allOf: [
        PROBLEM,
        {
          type: 'object',
          properties: {
            available: {
              type: 'integer',
              description:
                "INSUFFICIENT_POINTS: the points the group can spend now; INSUFFICIENT_PAYER_POINTS: the payer's points in the group",
            },
            requested: { type: 'integer', description: expect.stringContaining('PATTERN_CAPACITY') },
            payer: { type: 'string', description: 'INSUFFICIENT_PAYER_POINTS: the payer' },
            capacity: { type: 'integer', description: expect.stringContaining('PATTERN_CAPACITY') },
            existing: { type: 'integer', description: expect.any(String) },
          },
        },
      ],
    });
  });

  it('gives errors its [{field, message}] items, nullable members their null, and codes without members ProblemDto', () => {
    const validation = problemSchema(['VALIDATION_FAILED']) as { allOf: Array<{ properties?: any }> };
    expect(validation.allOf[1].properties.errors).toMatchObject({
      type: 'array',
      items: { $ref: '#/components/schemas/FieldErrorDto' },
    });
    const inactive = problemSchema(['COUPON_BOOK_INACTIVE']) as { allOf: Array<{ properties?: any }> };
    expect(inactive.allOf[1].properties.startsAt).toMatchObject({ type: 'string', nullable: true });
    expect(problemSchema(['NOT_FOUND', 'FORBIDDEN'])).toEqual(PROBLEM);
  });

  it('documents, for every code, a response of its status with all its members', () => {
    const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[];
    const responses = problemResponses(codes);
    for (const code of codes) {
      const response = responses[ERROR_CATALOGUE[code].status];
      expect(response.description.split(', ')).toContain(code);
      const schema = response.content!['application/problem+json'].schema as { allOf?: any[] };
      const members = Object.keys(schema.allOf?.[1].properties ?? {});
      expect(members).toEqual(
        expect.arrayContaining(Object.keys((ERROR_CATALOGUE[code] as ErrorCodeEntry).fields ?? {})),
      );
    }
    expect(responses[429].headers).toHaveProperty('Retry-After');
  });
});
