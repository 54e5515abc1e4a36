import { rangeProblem } from '../../ui/format';
import type { BookForm } from './bookBody';

/** The fields the create form shows beside their inputs (their problems are not repeated below it). */
export const BOOK_FIELDS = [
  'name',
  'description',
  'codePattern',
  'charset',
  'maxCodesPerUser',
  'maxRedemptionsPerUser',
  'startsAt',
  'endsAt',
  'allowMultipleRedemptions',
] as const;

/** An optional whole number of at least 1, as typed: the problem in plain words, or undefined. */
function optionalLimitProblem(text: string, what: string): string | undefined {
  const value = text.trim();
  if (!value) return undefined;
  return /^\d+$/.test(value) && Number(value) >= 1
    ? undefined
    : `Enter ${what} as a whole number, at least 1, or leave it empty for no limit.`;
}

/** What the browser can tell before sending a new book, in plain words, keyed by field. */
export function bookFormProblems(form: BookForm): Record<string, string> {
  const problems: Record<string, string | undefined> = {
    name: form.name.trim() ? undefined : 'Enter a name for the book.',
    maxCodesPerUser: optionalLimitProblem(form.maxCodesPerUser, 'the most codes one member may get'),
    maxRedemptionsPerUser: optionalLimitProblem(
      form.maxRedemptionsPerUser,
      'the most redemptions per member',
    ),
    endsAt: rangeProblem(form.startsAt, form.endsAt),
  };
  return Object.fromEntries(Object.entries(problems).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
}
