import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  IsUUID,
  Length,
  MaxLength,
} from 'class-validator';
import { Optional } from '../optional';
import { TOTAL_API } from '../pagination.dto';

/**
 * What an API client (a till, a partner, a back-end integration) may be allowed to do. A client's
 * token carries the scopes it was granted (or the subset it asked for); the gateway checks the
 * route's scope and the service checks it again.
 */
export const API_CLIENT_SCOPES = [
  'purchases:write',
  'redemptions:write',
  'payer-transactions:write',
  'vouchers:redeem',
  'members:read',
] as const;
export type ApiClientScope = (typeof API_CLIENT_SCOPES)[number];

export const API_CLIENT_STATUSES = ['ACTIVE', 'REVOKED'] as const;
export type ApiClientStatus = (typeof API_CLIENT_STATUSES)[number];

/** `POST /v1/admin/api-clients`. */
export class CreateApiClientDto {
  @ApiProperty({ example: 'Store 042 till', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100, { message: 'name must be 1-100 characters' })
  name!: string;

  @ApiProperty({ type: [String], enum: API_CLIENT_SCOPES, example: ['purchases:write'] })
  @IsArray()
  @ArrayMinSize(1, { message: 'scopes must name at least one scope' })
  @ArrayMaxSize(API_CLIENT_SCOPES.length)
  @ArrayUnique({ message: 'scopes must not repeat a scope' })
  @IsIn(API_CLIENT_SCOPES, {
    each: true,
    message: `each scope must be one of ${API_CLIENT_SCOPES.join(', ')}`,
  })
  scopes!: ApiClientScope[];
}

export class ApiClientParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'clientId must be a UUID' })
  clientId!: string;
}

/** An API client as administrators see it: never its secret, nor the secret's hash. */
export class ApiClientDto {
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String], enum: API_CLIENT_SCOPES }) scopes!: ApiClientScope[];
  @ApiProperty({ enum: API_CLIENT_STATUSES }) status!: ApiClientStatus;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When the current secret was issued' })
  secretCreatedAt!: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Until when the previous secret still works after a rotation; null when none does',
  })
  previousSecretExpiresAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The last token issued' })
  lastTokenAt!: string | null;
}

/** The answer to a create: the client and its secret, shown this once. */
export class CreatedApiClientDto extends ApiClientDto {
  @ApiProperty({ description: 'Shown this once; only a hash is stored' }) clientSecret!: string;
}

export class ApiClientSecretDto {
  @ApiProperty({ description: 'Shown this once; the previous secret keeps working for 24 hours' })
  clientSecret!: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'When the previous secret stops working' })
  previousSecretExpiresAt!: string;
}

export class ApiClientPageDto {
  @ApiProperty({ type: [ApiClientDto] }) items!: ApiClientDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
  @ApiProperty(TOTAL_API) total!: number;
}

/**
 * `RPC.auth.issueClientToken`'s body: the client-credentials grant as the gateway read it from
 * the form and the Authorization header (RFC 6749 §4.4). `scope` is the space-separated request.
 */
export class IssueClientTokenDto {
  @IsString()
  @Length(1, 200)
  clientId!: string;

  @IsString()
  @Length(1, 200)
  clientSecret!: string;

  @Optional()
  @IsString()
  @MaxLength(1000)
  scope?: string;
}

/** `POST /v1/oauth/token`'s answer, in the RFC's snake_case. */
export class ClientTokenDto {
  @ApiProperty() access_token!: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type!: 'Bearer';
  @ApiProperty({ example: 900 }) expires_in!: number;
  @ApiProperty({ example: 'purchases:write members:read', description: 'Space-separated' }) scope!: string;
}

/** An RFC 6749 §5.2 error body (the token endpoint never answers problem+json). */
export class OAuthErrorDto {
  @ApiProperty({ enum: ['invalid_request', 'invalid_client', 'invalid_scope', 'unsupported_grant_type'] })
  error!: string;
  @ApiPropertyOptional() error_description?: string;
}

/** A member named by an API client (`userId` in a body, or `/v1/members/{userId}`). */
export class MemberParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId!: string;
}

/** `RPC.auth.lookupMember`'s answer: the member's group, when the account is active. */
export class MemberLookupDto {
  userId!: string;
  groupId!: string;
}

/** One principal (a user or an API client) whose tokens issued before `validAfter` are refused. */
export class TokenRevocationDto {
  principalId!: string;
  /** Milliseconds since the epoch. */
  validAfter!: number;
}

export class TokenRevocationListDto {
  items!: TokenRevocationDto[];
}
