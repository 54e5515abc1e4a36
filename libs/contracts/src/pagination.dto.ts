import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { QueryInt } from './validation';

/** `?limit=&cursor=` as every list endpoint takes it (docs/api.md, Paging). */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A page of an admin list that also says how many items match its filters in all (ignoring the
 * cursor and the limit), so a console can say "Page 2 of 53".
 */
export interface CountedPage<T> extends Page<T> {
  total: number;
}

/** `total`'s OpenAPI description, the same on every counted page. */
export const TOTAL_API = {
  example: 1042,
  description: 'How many items match the filters in all, across every page (ignores cursor and limit)',
};
