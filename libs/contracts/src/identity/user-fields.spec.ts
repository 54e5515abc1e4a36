import { DomainError } from '@lib/errors';
import { EnrollUserDto } from '../admin/users.dto';
import { Optional } from '../optional';
import { validateDto } from '../validation';
import { BirthdayRules } from './user-fields';

class BirthdayOnlyDto {
  @Optional()
  @BirthdayRules()
  birthday?: string;
}

const DAY = 24 * 3600 * 1000;
const date = (at: number) => new Date(at).toISOString().slice(0, 10);

/** The birthday's field errors, or [] when it is taken. */
function birthdayErrors(birthday: unknown, dto: new () => object = BirthdayOnlyDto) {
  try {
    validateDto(dto, dto === BirthdayOnlyDto ? { birthday } : enrolment(birthday));
    return [];
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return (err.errors ?? []).filter((e) => e.field === 'birthday').map((e) => e.message);
  }
}
const enrolment = (birthday: unknown) => ({
  username: 'ana.silva',
  password: 'correct-horse-battery',
  email: 'ana@example.com',
  birthday,
});

describe('the birthday rule (user-fields, shared by the gateway and auth)', () => {
  it('takes a real date from 1900-01-01 to today', () => {
    for (const ok of ['1900-01-01', '1990-04-23', date(Date.now()), date(Date.now() - DAY)]) {
      expect(birthdayErrors(ok)).toEqual([]);
    }
  });

  it('refuses a date in the future (past today in every time zone) and one before 1900', () => {
    expect(birthdayErrors(date(Date.now() + 2 * DAY))).toEqual(['birthday must not be in the future']);
    expect(birthdayErrors('2999-01-01')).toEqual(['birthday must not be in the future']);
    expect(birthdayErrors('1899-12-31')).toEqual(['birthday must not be before 1900-01-01']);
  });

  it('keeps the format rules, and says the range only of a well-formed date', () => {
    expect(birthdayErrors('23/04/1990')).toEqual(expect.arrayContaining(['birthday must be YYYY-MM-DD']));
    expect(birthdayErrors('2030-02-30')).toEqual(['birthday must be a real date (YYYY-MM-DD)']);
    expect(birthdayErrors(19900423)).toEqual(expect.arrayContaining(['birthday must be a string']));
  });

  it('applies to enrolment', () => {
    expect(birthdayErrors('2999-01-01', EnrollUserDto)).toEqual(['birthday must not be in the future']);
    expect(birthdayErrors('1990-04-23', EnrollUserDto)).toEqual([]);
  });
});
