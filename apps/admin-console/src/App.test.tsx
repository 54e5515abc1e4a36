import { render, screen } from '@testing-library/react';
import { App } from './App';
import { SessionProvider } from './api/context';
import { Session } from './api/session';
import { ADMIN_ME, scriptedApi } from './test-utils';

const GRANT = { accessToken: 'access-1', tokenType: 'Bearer', expiresIn: 1800 };

function renderApp(refresh: () => Promise<{ status: number; body?: unknown }>) {
  const api = scriptedApi({
    'POST /v1/auth/refresh': refresh,
    'GET /v1/me': { status: 200, body: ADMIN_ME },
  });
  render(
    <SessionProvider session={new Session(api.fetchFn)}>
      <App />
    </SessionProvider>,
  );
}

describe('App on page load', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('says it is restoring the session, not the sign-in form, until the gateway answers; then the form if there is none', async () => {
    let answer: (reply: { status: number; body?: unknown }) => void = () => undefined;
    renderApp(() => new Promise((resolve) => (answer = resolve)));
    expect(await screen.findByRole('status')).toHaveTextContent('Restoring your session…');
    expect(screen.queryByLabelText('Username')).not.toBeInTheDocument();
    answer({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect(await screen.findByLabelText('Username')).toBeInTheDocument();
    expect(screen.queryByText('Restoring your session…')).not.toBeInTheDocument();
  });

  it('opens a deep link signed in when the session holds', async () => {
    window.history.replaceState(null, '', '/admin/users?query=ann');
    renderApp(async () => ({ status: 200, body: GRANT }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Users' })).toBeInTheDocument();
    expect(screen.getByText('chief')).toBeInTheDocument();
    expect(window.location.search).toBe('?query=ann');
  });
});
