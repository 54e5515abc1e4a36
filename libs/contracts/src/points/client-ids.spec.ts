import { RedeemCouponDto } from '../coupons/coupon-books.dto';
import { validateDto } from '../validation';
import { RedeemVoucherDto } from '../vouchers/voucher.dto';
import { CreatePayerTransactionDto, CreatePurchaseDto, CreateRedemptionDto } from './points.dto';

/**
 * The ids and names a client chooses, exactly as docs/api.md ("Where the contract is silent")
 * states their rules: every example the page gives is accepted or refused here, by the DTOs both
 * the gateway and the services validate with.
 */
const accepts = (dto: new () => object, body: object) => expect(() => validateDto(dto, body)).not.toThrow();
const refuses = (dto: new () => object, body: object, field: string) => {
  let fields: string[] = [];
  try {
    validateDto(dto, body);
  } catch (err) {
    fields = ((err as { errors?: Array<{ field: string }> }).errors ?? []).map((e) => e.field);
  }
  expect({ body, fields }).toEqual({ body, fields: expect.arrayContaining([field]) });
};

describe('client-chosen ids and names, as documented', () => {
  const purchase = { purchaseId: 'p-1', userId: '5f0c7a52-3c1e-4b7e-9a51-0d6f2f7c9e11', amount: '1.00' };
  const transaction = { transactionId: 't-1', payer: 'ACME', points: 5, reason: 'r' };

  it('business ids (purchaseId, redemptionId, transactionId): 1-64 of A-Z a-z 0-9 . _ : -, case kept', () => {
    for (const id of [
      'order-2026-000123',
      'pos:42:1733',
      'dannon-feed-000981',
      'a',
      'Order.1_B',
      'x'.repeat(64),
    ]) {
      accepts(CreatePurchaseDto, { ...purchase, purchaseId: id });
      accepts(CreateRedemptionDto, { redemptionId: id, points: 1 });
      accepts(CreatePayerTransactionDto, { ...transaction, transactionId: id });
    }
    for (const id of ['', 'has space', 'order/1', 'ordre-é', 'x'.repeat(65), 'a+b', '#1']) {
      refuses(CreatePurchaseDto, { ...purchase, purchaseId: id }, 'purchaseId');
      refuses(CreateRedemptionDto, { redemptionId: id, points: 1 }, 'redemptionId');
      refuses(CreatePayerTransactionDto, { ...transaction, transactionId: id }, 'transactionId');
    }
  });

  it("payer: 1-40 of upper-case A-Z, 0-9, space & ' _ -, starting and ending with a letter or digit", () => {
    for (const payer of ['DANNON', 'MILLER COORS', 'P&G', "BEN & JERRY'S", 'STORE_42', 'X', 'A'.repeat(40)]) {
      accepts(CreatePurchaseDto, { ...purchase, payer });
      accepts(CreatePayerTransactionDto, { ...transaction, payer });
    }
    for (const payer of [
      'dannon',
      'Dannon',
      'DAN.NON',
      ' DANNON',
      'DANNON ',
      '-ACME',
      'ACME-',
      'A'.repeat(41),
      '',
    ]) {
      refuses(CreatePurchaseDto, { ...purchase, payer }, 'payer');
      refuses(CreatePayerTransactionDto, { ...transaction, payer }, 'payer');
    }
  });

  it('orderId: any 1-100 characters (code points), spaces and any script included', () => {
    for (const orderId of ['order-2026-000123', 'Bestellung 17/3', 'заказ №5', ' ', '😀'.repeat(100)]) {
      accepts(RedeemVoucherDto, { orderId });
      accepts(RedeemCouponDto, { lockToken: 't', orderId });
    }
    for (const orderId of ['', 'x'.repeat(101), 17, null]) {
      refuses(RedeemVoucherDto, { orderId }, 'orderId');
    }
    for (const orderId of ['', 'x'.repeat(101), 17, null]) {
      refuses(RedeemCouponDto, { lockToken: 't', orderId }, 'orderId');
    }
    accepts(RedeemCouponDto, { lockToken: 't' });
  });

  it('storeId: any 1-64 characters', () => {
    for (const storeId of ['store-042', 'Filiale Köln #3', 'x'.repeat(64)]) {
      accepts(CreatePurchaseDto, { ...purchase, storeId });
    }
    for (const storeId of ['', 'x'.repeat(65), 42, null]) {
      refuses(CreatePurchaseDto, { ...purchase, storeId }, 'storeId');
    }
  });
});
