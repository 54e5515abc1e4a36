import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SessionProvider } from '../api/context';
import { Session } from '../api/session';
import { ADMIN_ME, scriptedApi, TOKENS } from '../test-utils';
import { SignIn } from './SignIn';

/** The form as a page load without a session shows it: the cookie refused, or none. */
async function renderSignIn(routes: Parameters<typeof scriptedApi>[0], expired = false) {
  const api = scriptedApi({
    'POST /v1/auth/refresh': { status: 401, body: { code: 'UNAUTHENTICATED' } },
    ...routes,
  });
  const session = new Session(api.fetchFn);
  await session.resume();
  render(
    <SessionProvider session={session}>
      <SignIn expired={expired} />
    </SessionProvider>,
  );
  return { session, calls: api.calls };
}

async function submit(username: string, password: string) {
  await userEvent.type(screen.getByLabelText('Username'), username);
  await userEvent.type(screen.getByLabelText('Password'), password);
  await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('SignIn', () => {
  it('says only "wrong username or password" on a refused login, and clears the password', async () => {
    await renderSignIn({ 'POST /v1/auth/login': { status: 401, body: { code: 'INVALID_CREDENTIALS' } } });
    await submit('chief', 'nope');
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password.');
    expect(screen.getByLabelText('Password')).toHaveValue('');
  });

  it('refuses a member with a message naming the account and the role it needs', async () => {
    const { session } = await renderSignIn({
      'POST /v1/auth/login': { status: 200, body: TOKENS },
      'GET /v1/me': { status: 200, body: { userId: 'm', username: 'maria', roles: ['member'] } },
      'POST /v1/auth/logout': { status: 204 },
    });
    await submit('maria', 'pw');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'maria is not an administrator. Sign in with an account that has the admin role.',
    );
    expect(session.state).toBe('signed-out');
  });

  it('after an expiry, offers the same account and puts the cursor in the password', async () => {
    const api = scriptedApi({
      'POST /v1/auth/login': { status: 200, body: TOKENS },
      'GET /v1/me': { status: 200, body: ADMIN_ME },
    });
    const session = new Session(api.fetchFn);
    await session.signIn('chief', 'pw');
    session.expire();
    render(
      <SessionProvider session={session}>
        <SignIn expired />
      </SessionProvider>,
    );
    expect(screen.getByRole('heading', { name: 'Your session expired' })).toBeInTheDocument();
    expect(screen.getByLabelText('Username')).toHaveValue('chief');
    expect(screen.getByLabelText('Password')).toHaveFocus();
  });
});
