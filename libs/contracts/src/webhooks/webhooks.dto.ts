import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  MaxLength,
} from 'class-validator';
import type { FieldError } from '@lib/errors';
import { Optional } from '../optional';
import { PageQueryDto, TOTAL_API } from '../pagination.dto';
import { ALL_WEBHOOK_EVENTS, WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-events';

export const WEBHOOK_STATUSES = ['ENABLED', 'DISABLED'] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];
export const DELIVERY_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const EVENT_CHOICES = [ALL_WEBHOOK_EVENTS, ...WEBHOOK_EVENT_TYPES];
export type WebhookEventChoice = WebhookEventType | typeof ALL_WEBHOOK_EVENTS;

const URL_RULES = {
  protocols: ['https', 'http'],
  require_protocol: true,
  require_tld: false,
  allow_underscores: true,
  disallow_auth: true,
};
const URL_MESSAGE =
  'url must be an absolute http(s) URL without credentials, e.g. https://crm.example.com/hooks/loyalty';
const EVENTS_MESSAGE = `each event must be * or one of ${WEBHOOK_EVENT_TYPES.join(', ')}`;

/** `POST /v1/admin/webhooks`. Whether `http://` and private targets are allowed is the operator's call. */
export class CreateWebhookDto {
  @ApiProperty({ example: 'https://crm.example.com/hooks/loyalty', maxLength: 2000 })
  @IsString()
  @MaxLength(2000)
  @IsUrl(URL_RULES, { message: URL_MESSAGE })
  url!: string;

  @ApiProperty({ type: [String], enum: EVENT_CHOICES, example: ['purchase.recorded', 'points.redeemed'] })
  @IsArray()
  @ArrayMinSize(1, { message: 'events must name at least one event type, or *' })
  @ArrayMaxSize(EVENT_CHOICES.length)
  @ArrayUnique({ message: 'events must not repeat an event type' })
  @IsIn(EVENT_CHOICES, { each: true, message: EVENTS_MESSAGE })
  events!: WebhookEventChoice[];

  @ApiPropertyOptional({ maxLength: 500 })
  @Optional()
  @IsString()
  @Length(0, 500)
  description?: string;
}

/** `PATCH /v1/admin/webhooks/{webhookId}`: only what is sent changes. */
export class UpdateWebhookDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @Optional()
  @IsString()
  @MaxLength(2000)
  @IsUrl(URL_RULES, { message: URL_MESSAGE })
  url?: string;

  @ApiPropertyOptional({ type: [String], enum: EVENT_CHOICES })
  @Optional()
  @IsArray()
  @ArrayMinSize(1, { message: 'events must name at least one event type, or *' })
  @ArrayMaxSize(EVENT_CHOICES.length)
  @ArrayUnique({ message: 'events must not repeat an event type' })
  @IsIn(EVENT_CHOICES, { each: true, message: EVENTS_MESSAGE })
  events?: WebhookEventChoice[];

  @ApiPropertyOptional({ enum: WEBHOOK_STATUSES })
  @Optional()
  @IsIn(WEBHOOK_STATUSES, { message: 'status must be ENABLED or DISABLED' })
  status?: WebhookStatus;

  @ApiPropertyOptional({ maxLength: 500 })
  @Optional()
  @IsString()
  @Length(0, 500)
  description?: string;
}

const CHANGEABLE = ['url', 'events', 'status', 'description'] as const;

/**
 * A PATCH must name something to change: a missing or empty body is a 400 (checked by the gateway
 * and again by the dispatcher), never a silent 200.
 */
export function emptyWebhookUpdate(body: UpdateWebhookDto | undefined): FieldError[] {
  return body && CHANGEABLE.some((field) => body[field] !== undefined)
    ? []
    : [{ field: 'body', message: `send at least one of ${CHANGEABLE.join(', ')}` }];
}

export class WebhookParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'webhookId must be a UUID' })
  webhookId!: string;
}

export class DeliveryParamsDto extends WebhookParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'deliveryId must be a UUID' })
  deliveryId!: string;
}

export class DeliveryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: 'status must be PENDING, SUCCEEDED or FAILED' })
  status?: DeliveryStatus;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES })
  @IsOptional()
  @IsIn(WEBHOOK_EVENT_TYPES, { message: `eventType must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` })
  eventType?: WebhookEventType;
}

/** An endpoint as admins see it: never its secret. */
export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) webhookId!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: [String], enum: EVENT_CHOICES }) events!: WebhookEventChoice[];
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ enum: WEBHOOK_STATUSES }) status!: WebhookStatus;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['ADMIN', 'FAILING'],
    description:
      'Why a DISABLED endpoint is disabled: by an admin, or by the dispatcher after 5 days of failures',
  })
  disabledReason!: 'ADMIN' | 'FAILING' | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Since when every delivery has failed; null after a success',
  })
  failingSince!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret (Standard Webhooks), shown this once',
  })
  secret!: string;
}

export class WebhookPageDto {
  @ApiProperty({ type: [WebhookDto] }) items!: WebhookDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
  @ApiProperty(TOTAL_API) total!: number;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid' }) deliveryId!: string;
  @ApiProperty({ description: 'The webhook-id header: the same on every attempt' }) eventId!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES }) eventType!: WebhookEventType;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
  @ApiProperty({ description: 'Attempts made so far' }) attempts!: number;
  @ApiProperty({ type: Number, nullable: true, description: "The receiver's last HTTP status" })
  lastStatusCode!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed' })
  lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null once finished' })
  nextAttemptAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastAttemptAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto] }) items!: DeliveryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
  @ApiProperty(TOTAL_API) total!: number;
}
