import { plural } from '../../ui/format';

/** A form the browser refused to send: how many fields need attention (each says why beside it). */
export function NothingSent({ problems }: { problems: Record<string, string> }) {
  const count = Object.keys(problems).length;
  if (count === 0) return null;
  return (
    <p role="alert" className="notice notice-error">
      Nothing was sent: {plural(count, 'field needs', 'fields need')} attention (see beside{' '}
      {count === 1 ? 'it' : 'them'}).
    </p>
  );
}
