import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { IsString, Length, ValidateIf } from 'class-validator';
import { TokenPairDto } from '@lib/contracts';
import { SESSION_COOKIE, SESSION_COOKIE_HEADER } from './session-cookie';

/**
 * The body of refresh and logout at the gateway. `refreshToken` is required as before, except in
 * cookie mode, where it must be left out (SessionCookies.presented says which). The services keep
 * @lib/contracts' RefreshTokenDto, where it is always required: the gateway always sends one. The
 * schema keeps its name in the OpenAPI document.
 */
@ApiSchema({ name: 'RefreshTokenDto' })
export class RefreshTokenInputDto {
  @ApiPropertyOptional({
    description:
      `The refresh token from login or the last refresh. Required, except with ${SESSION_COOKIE_HEADER}: 1, ` +
      `where it must be left out (the cookie ${SESSION_COOKIE} carries it).`,
    minLength: 1,
    maxLength: 256,
  })
  // Only a missing field is "absent": null is checked (and refused) like any other wrong type.
  @ValidateIf((o: RefreshTokenInputDto) => o.refreshToken !== undefined)
  @IsString()
  @Length(1, 256)
  refreshToken?: string;
}

/** Login and refresh in cookie mode: the pair without its refresh token, which is in the cookie. */
export class AccessGrantDto {
  @ApiProperty({ description: 'RS256 JWT with a kid header' }) accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Access token lifetime in seconds', example: 1800 }) expiresIn!: number;
}

/** The 200 of login and refresh: a token pair, or in cookie mode the access part only. */
export const TOKENS_RESPONSE_SCHEMA = {
  anyOf: [{ $ref: getSchemaPath(TokenPairDto) }, { $ref: getSchemaPath(AccessGrantDto) }],
};

/** How the cookie shows in a 200 or 204 that sets or clears it. */
export const SET_COOKIE_HEADER = {
  'Set-Cookie': {
    description:
      `Only with ${SESSION_COOKIE_HEADER}: 1: the refresh token in \`${SESSION_COOKIE}\` ` +
      `(HttpOnly; Secure; SameSite=Strict; Path=/v1/auth; Max-Age = the refresh token lifetime), ` +
      `or Max-Age=0 when the session ends (logout, a refused refresh)`,
    schema: { type: 'string' as const },
  },
};
