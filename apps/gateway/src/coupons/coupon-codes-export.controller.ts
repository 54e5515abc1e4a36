import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { CouponCodeExportPageDto, COUPON_EXPORT_COLUMNS, RPC } from '@lib/contracts';
import { Authenticated, BearerToken } from '@lib/jwt';
import { LOGGER, Logger } from '@lib/observability';
import { ApiProblems } from '../http/api-problems';
import { ServiceClient } from '../http/service-client';
import { CSV_HEADER, csvRows, fileSlug } from './codes-csv';

/**
 * Admin: a book's codes as CSV, for books of millions. The gateway asks promotion for one keyset
 * page at a time (RPC only) and writes each page as it arrives; the stream pulls the next page
 * only when the client has taken the last (backpressure), so no process holds the whole book. The
 * first page is fetched before any byte is sent: an unknown book is still a 404 problem.
 */
@ApiTags('Coupon books')
@Controller('admin/coupon-books')
@Authenticated('admin')
export class CouponCodesExportController {
  constructor(
    private readonly services: ServiceClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get(':couponBookId/codes/export')
  @ApiOperation({
    summary: "Export a coupon book's codes as CSV",
    description:
      `Streamed, in code order. Columns: ${COUPON_EXPORT_COLUMNS.join(', ')}. status is AVAILABLE, ` +
      'ASSIGNED, LOCKED or REDEEMED; times are ISO-8601; empty cells are null. A cell that starts ' +
      'with = + - or @ gets a leading single quote, so spreadsheets never run it.',
  })
  @ApiProduces('text/csv')
  @ApiResponse({
    status: 200,
    description: 'The codes, one per line after the header row',
    content: { 'text/csv': { schema: { type: 'string' } } },
    headers: {
      'Content-Disposition': {
        description: 'attachment; filename="<book name slug>-codes.csv"',
        schema: { type: 'string' },
      },
    },
  })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND')
  async export(
    @BearerToken() accessToken: string,
    @Param('couponBookId') couponBookId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const page = (after?: string) =>
      this.services.call<CouponCodeExportPageDto>('promotion', RPC.promotion.exportCouponCodes, {
        accessToken,
        params: { couponBookId },
        query: after === undefined ? {} : { after },
      });
    const first = await page();
    const logger = this.logger;
    let rows = 0;
    async function* lines(): AsyncGenerator<string> {
      yield CSV_HEADER;
      let current = first;
      for (;;) {
        rows += current.items.length;
        yield csvRows(current.items);
        if (current.nextAfter === null) break;
        current = await page(current.nextAfter);
      }
      logger.info({ couponBookId, rows }, 'coupon codes: export sent');
    }
    const body = Readable.from(lines(), { objectMode: false });
    body.on('error', (err) =>
      // Headers are gone by now: the client sees a cut-off file, and the log says why.
      this.logger.warn({ couponBookId, rows, reason: err.message }, 'coupon codes: export broke off'),
    );
    await reply
      .status(200)
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${fileSlug(first.couponBookName)}-codes.csv"`)
      .header('Cache-Control', 'no-store')
      .send(body);
  }
}
