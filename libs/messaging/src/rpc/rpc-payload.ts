import type { PipeTransform } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { ClassConstructor } from 'class-transformer';
import { validateDto, type RpcCaller, type RpcRequest } from '@lib/contracts';
import { ValidationFailed, type FieldError } from '@lib/errors';

/** The contracts DTOs an RPC's parts must match; a part not named must be absent or empty. */
export interface RpcPayloadSpec<
  B extends object = never,
  Q extends object = never,
  P extends object = never,
> {
  body?: ClassConstructor<B>;
  query?: ClassConstructor<Q>;
  params?: ClassConstructor<P>;
}

const PARTS = ['body', 'query', 'params'] as const;
const ENVELOPE = new Set(['caller', ...PARTS]);

/**
 * Checks an RPC request the way the gateway checks the HTTP request it came from, with the same
 * contracts DTOs and rules: anything that reaches a service's queue (a bug, or anyone holding
 * broker credentials) gets VALIDATION_FAILED before a use case runs, and nothing is written.
 */
export class RpcRequestPipe implements PipeTransform<unknown, RpcRequest> {
  constructor(private readonly spec: RpcPayloadSpec<object, object, object>) {}

  transform(value: unknown): RpcRequest {
    if (!isObject(value))
      throw new ValidationFailed([{ field: 'request', message: 'must be a JSON object' }]);
    const unknown = Object.keys(value).filter((k) => !ENVELOPE.has(k));
    if (unknown.length) {
      throw new ValidationFailed(unknown.map((field) => ({ field, message: 'is not an allowed field' })));
    }
    const request: RpcRequest = { caller: readCaller(value.caller) };
    for (const part of PARTS) {
      const dto = this.spec[part];
      const given = value[part];
      if (dto) {
        if (given !== undefined && given !== null && !isObject(given)) {
          throw new ValidationFailed([{ field: part, message: `${part} must be a JSON object` }]);
        }
        request[part] = validateDto(dto, given ?? {}, { part }) as never;
      } else if (given !== undefined && !(isObject(given) && Object.keys(given).length === 0)) {
        throw new ValidationFailed(fieldsOf(given, part));
      }
    }
    return request;
  }
}

/**
 * `@RpcPayload({ body: CreatePurchaseDto })` in place of `@Payload()`: the handler receives the
 * request with its parts validated and typed as their DTOs.
 */
export function RpcPayload(spec: RpcPayloadSpec<object, object, object> = {}): ParameterDecorator {
  return Payload(new RpcRequestPipe(spec));
}

/** The request a handler declared with RpcPayload receives. */
export interface ValidRpcRequest<B = never, Q = never, P = never> {
  caller?: RpcCaller;
  body: B;
  query: Q;
  params: P;
}

function readCaller(value: unknown): RpcCaller | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new ValidationFailed([{ field: 'caller', message: 'must be an object' }]);
  const caller: RpcCaller = {};
  for (const [key, v] of Object.entries(value)) {
    if (key !== 'accessToken' && key !== 'ip') {
      throw new ValidationFailed([{ field: `caller.${key}`, message: 'is not an allowed field' }]);
    }
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length > 8192) {
      throw new ValidationFailed([{ field: `caller.${key}`, message: `caller.${key} must be a string` }]);
    }
    caller[key] = v;
  }
  return caller;
}

function fieldsOf(value: unknown, part: string): FieldError[] {
  if (!isObject(value)) return [{ field: part, message: `${part} is not allowed here` }];
  return Object.keys(value).map((field) => ({ field, message: 'is not an allowed field' }));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
