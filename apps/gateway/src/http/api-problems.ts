import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import type {
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ERROR_CATALOGUE, ERROR_STATUS, ErrorCode, type ErrorCodeEntry } from '@lib/errors';

export class FieldErrorDto {
  @ApiProperty() field!: string;
  @ApiProperty() message!: string;
}

/**
 * RFC 9457 problem details, as every error is answered (application/problem+json): the members
 * every problem has. The extra members of each code (`errors`, `available`, `capacity`…) are added
 * to each response's schema from ERROR_CATALOGUE (see problemResponses).
 */
export class ProblemDto {
  @ApiProperty() type!: string;
  @ApiProperty() title!: string;
  @ApiProperty() status!: number;
  @ApiProperty() detail!: string;
  @ApiProperty({ enum: Object.keys(ERROR_STATUS) }) code!: string;
}

/** The models the problem responses refer to: the document's extraModels. */
export const PROBLEM_MODELS = [ProblemDto, FieldErrorDto];

const ref = (model: { name: string }): ReferenceObject => ({ $ref: `#/components/schemas/${model.name}` });

/** Codes any route can answer: a broken rule, a body it doesn't take, a service away or slow, a bug. */
const ANY_ROUTE: ErrorCode[] = [
  'VALIDATION_FAILED',
  'UNSUPPORTED_MEDIA_TYPE',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'INTERNAL',
];

type ExtraMember = NonNullable<ErrorCodeEntry['fields']>[string];

/** One extra member's schema: `errors` is always `[{field, message}]`. */
function memberSchema(name: string, member: ExtraMember): SchemaObject {
  const base: SchemaObject =
    name === 'errors'
      ? { type: 'array', items: ref(FieldErrorDto) }
      : member.type === 'array'
        ? { type: 'array', items: {} }
        : { type: member.type };
  return { ...base, ...(member.nullable ? { nullable: true } : {}) };
}

/**
 * The schema of a problem answering one of `codes`: ProblemDto plus, optional, every extra member
 * those codes carry (ERROR_CATALOGUE's `fields`), each described by the codes that carry it. Two
 * codes of one response that give a member different types are a mistake in the catalogue.
 */
export function problemSchema(codes: ErrorCode[]): SchemaObject | ReferenceObject {
  const members: Record<string, SchemaObject> = {};
  for (const code of codes) {
    const fields: Record<string, ExtraMember> = (ERROR_CATALOGUE[code] as ErrorCodeEntry).fields ?? {};
    for (const [name, member] of Object.entries(fields)) {
      const schema = memberSchema(name, member);
      const seen = members[name];
      if (seen && (seen.type !== schema.type || !!seen.nullable !== !!schema.nullable)) {
        throw new Error(`ERROR_CATALOGUE: ${name} has two types among ${codes.join(', ')}`);
      }
      const description = `${code}: ${member.description}`;
      members[name] = { ...schema, description: seen ? `${seen.description}; ${description}` : description };
    }
  }
  if (!Object.keys(members).length) return ref(ProblemDto);
  return { allOf: [ref(ProblemDto), { type: 'object', properties: members }] };
}

/** The problem responses of `codes`, by status, each listing its codes and their extra members. */
export function problemResponses(codes: ErrorCode[]): Record<number, ResponseObject> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      status,
      {
        description: list.join(', '),
        ...(status === 429
          ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } }
          : {}),
        content: { 'application/problem+json': { schema: problemSchema(list) } },
      },
    ]),
  );
}

/**
 * Documents the problem responses of a route by code. Always adds 400 (validation), 415 (a body
 * that isn't JSON), 503/504 (a service unreachable or slow) and 500, which any route can answer.
 */
export function ApiProblems(...codes: ErrorCode[]) {
  return ApiProblemsOnly(...codes, ...ANY_ROUTE);
}

/**
 * Documents exactly these problem responses: for the one route whose 400s are not problem+json
 * (the OAuth token endpoint, which answers RFC 6749's error bodies).
 */
export function ApiProblemsOnly(...codes: ErrorCode[]) {
  return applyDecorators(
    ...Object.entries(problemResponses(codes)).map(([status, response]) =>
      ApiResponse({ status: Number(status), ...response }),
    ),
  );
}
