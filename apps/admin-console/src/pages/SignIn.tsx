import { useState } from 'react';
import type { FormEvent } from 'react';
import { useSession } from '../api/context';
import { ApiError, describeError } from '../api/problem';
import { NotAnAdmin } from '../api/session';
import { Field } from '../ui/Field';

/** Login errors are generic by design (the API never says which of the two was wrong). */
function explain(error: unknown): string {
  if (error instanceof NotAnAdmin) return error.message;
  if (error instanceof ApiError && error.status === 401) return 'Wrong username or password.';
  return describeError(error);
}

/**
 * The sign-in form: the page itself when signed out, a dialog over the current page when the
 * session expired (so whatever was being typed there is still there afterwards).
 */
export function SignIn({ expired }: { expired?: boolean }) {
  const session = useSession();
  const [username, setUsername] = useState(expired ? (session.admin?.username ?? '') : '');
  const knownUser = expired && !!session.admin?.username; // then only the password is left to type
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setPending(true);
    setError(undefined);
    try {
      await session.signIn(username.trim(), password);
    } catch (err) {
      setError(err);
      setPassword('');
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="card sign-in" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{expired ? 'Your session expired' : 'Loyalty admin console'}</h1>
      <p>
        {expired
          ? 'Sign in again to carry on: the page behind this dialog keeps what you typed.'
          : 'Sign in with an administrator account.'}
      </p>
      <Field
        label="Username"
        name="username"
        autoComplete="username"
        autoFocus={!knownUser}
        required
        value={username}
        onChange={(e) => setUsername(e.target.value)}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        autoFocus={knownUser}
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {error !== undefined && (
        <p role="alert" className="notice notice-error">
          {explain(error)}
        </p>
      )}
      <button type="submit" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
