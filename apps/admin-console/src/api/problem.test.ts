import { ApiError, describeError, fieldLabel, fieldSentence, plainMessage, toApiError } from './problem';

describe('problem messages for people', () => {
  it.each([
    ['count', 'count must not be less than 1', 'must be at least 1'],
    ['discountPercent', 'discountPercent must not be greater than 100', 'must be at most 100'],
    ['roles', 'roles must contain at least 1 elements', 'needs at least one choice'],
    ['codes', 'codes must contain at least 2 elements', 'needs at least 2 items'],
    ['codes', 'codes must contain no more than 10000 elements', 'can have at most 10,000 items'],
    [
      'username',
      'username must be longer than or equal to 3 characters',
      'must be at least 3 characters long',
    ],
    ['name', 'name must be shorter than or equal to 1 characters', 'must be at most 1 character long'],
    ['voucherLimit', 'voucherLimit must be an integer number', 'must be a whole number'],
    ['email', 'email must be an email', 'must be an email address, like name@example.com'],
    ['name', 'name should not be empty', 'is required'],
    ['tiers.1.minPoints', 'minPoints must not be less than 0', 'must be at least 0'],
    ['extra', 'is not an allowed field', 'is not an allowed field'],
    ['expiryDays', 'expiryDays must be greater than pendingDays', 'must be greater than pendingDays'],
  ])('%s: "%s" reads "%s"', (field, message, plain) => {
    expect(plainMessage(field, message)).toBe(plain);
  });

  it('names fields as people would', () => {
    expect(fieldLabel('discountPercent')).toBe('Discount percent');
    expect(fieldLabel('tiers.2.minPoints')).toBe('Tier 3 min points');
    expect(fieldSentence({ field: 'count', message: 'must be at least 1' })).toBe(
      'Count must be at least 1.',
    );
  });

  it('rewrites a 400 once, keeps the extension members, and says how many fields need attention', async () => {
    const res = new Response(
      JSON.stringify({
        code: 'VALIDATION_FAILED',
        detail: 'Invalid request',
        errors: [
          { field: 'count', message: 'count must not be less than 1' },
          { field: 'pattern', message: 'pattern must be shorter than or equal to 64 characters' },
        ],
        conflictingCampaign: { campaignId: 'c1', name: 'Spring' },
      }),
      { status: 400, headers: { 'content-type': 'application/problem+json' } },
    );
    const error = await toApiError(res);
    expect(error.byField()).toEqual({
      count: 'must be at least 1',
      pattern: 'must be at most 64 characters long',
    });
    expect(error.extensions).toEqual({ conflictingCampaign: { campaignId: 'c1', name: 'Spring' } });
    expect(describeError(error)).toBe('2 fields need attention.');
    expect(describeError(new ApiError(400, 'VALIDATION_FAILED', 'x', [{ field: 'a', message: 'b' }]))).toBe(
      'One field needs attention.',
    );
  });
});
