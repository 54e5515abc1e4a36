import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useSession } from './api/context';
import { Link, useLocation } from './router';
import { HomePage } from './pages/Home';
import { PointsPage } from './pages/Points';
import { SignIn } from './pages/SignIn';
import { UsersPage } from './pages/Users';
import { Loading } from './ui/Status';

// Rarely visited (settings, made once and seldom changed), and the first load has a budget
// (bundle.test.ts): fetched when first opened.
const ApiClientsPage = lazy(() => import('./pages/ApiClients').then((m) => ({ default: m.ApiClientsPage })));
const PointsPolicyPage = lazy(() =>
  import('./pages/PointsPolicy').then((m) => ({ default: m.PointsPolicyPage })),
);
const TiersPage = lazy(() => import('./pages/Tiers').then((m) => ({ default: m.TiersPage })));
const WebhooksPage = lazy(() => import('./pages/Webhooks').then((m) => ({ default: m.WebhooksPage })));
// Campaigns, coupon books and the audit log are where admins go to work, not where they land:
// fetched on first visit too, which keeps the first load within its budget.
const CampaignsPage = lazy(() => import('./pages/Campaigns').then((m) => ({ default: m.CampaignsPage })));
const CouponBooksPage = lazy(() =>
  import('./pages/CouponBooks').then((m) => ({ default: m.CouponBooksPage })),
);
const AuditLogPage = lazy(() => import('./pages/AuditLog').then((m) => ({ default: m.AuditLogPage })));

const PAGES = [
  { path: '/', title: 'Home', Page: HomePage },
  { path: '/users', title: 'Users', Page: UsersPage },
  { path: '/points', title: 'Points', Page: PointsPage },
  { path: '/points-policy', title: 'Points policy', Page: PointsPolicyPage },
  { path: '/tiers', title: 'Tiers', Page: TiersPage },
  { path: '/campaigns', title: 'Campaigns', Page: CampaignsPage },
  { path: '/coupon-books', title: 'Coupon books', Page: CouponBooksPage },
  { path: '/api-clients', title: 'API clients', Page: ApiClientsPage },
  { path: '/webhooks', title: 'Webhooks', Page: WebhooksPage },
  { path: '/audit-logs', title: 'Audit log', Page: AuditLogPage },
] as const;

export function App() {
  const session = useSession();
  // A reload, a deep link or a new tab: the session of the cookie, if it still holds.
  useEffect(() => void session.resume(), [session]);
  if (session.state === 'resuming')
    return (
      <main className="centered">
        <p role="status" className="loading">
          <span className="spinner" aria-hidden="true" /> Restoring your session…
        </p>
      </main>
    );
  if (session.state === 'signed-out')
    return (
      <main className="centered">
        <SignIn />
      </main>
    );
  return <Shell />;
}

/** Navigation, the current page, and (when the session expired) the sign-in dialog over it. */
function Shell() {
  const session = useSession();
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const current = PAGES.find((p) => p.path === path) ?? PAGES[0];
  const heading = useRef<HTMLHeadingElement>(null);
  const expired = session.state === 'expired';

  useEffect(() => {
    document.title = `${current.title} · Loyalty admin`;
    setMenuOpen(false);
    heading.current?.focus(); // keyboard and screen-reader users land on the new page
  }, [current]);

  return (
    <div className="shell">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Loyalty admin</span>
        <button
          type="button"
          className="menu-toggle secondary"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </button>
        <span className="who">
          Signed in as <strong>{session.admin?.username}</strong>
        </span>
        <button type="button" className="secondary" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </header>
      <nav id="main-nav" className={menuOpen ? 'nav open' : 'nav'} aria-label="Main">
        <ul>
          {PAGES.map((p) => (
            <li key={p.path}>
              <Link to={p.path} aria-current={p === current ? 'page' : undefined}>
                {p.title}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="content" className="content" inert={expired ? true : undefined}>
        <h1 ref={heading} tabIndex={-1}>
          {current.title}
        </h1>
        <Suspense fallback={<Loading what="the page" />}>
          <current.Page />
        </Suspense>
      </main>
      {expired && (
        <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="sign-in-title">
          <SignIn expired />
        </div>
      )}
    </div>
  );
}
