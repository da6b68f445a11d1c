import { useEffect, useRef, useState } from 'preact/hooks';

import { ApiError } from '../common/api';
import { AccountView } from './account';
import { BookingsView } from './bookings';
import { describeError } from './forms';
import { Join } from './join';
import { ServicesView } from './services';
import type { Session } from './session';
import { SignIn } from './sign-in';
import { StaffView } from './staff';
import { TeamView } from './team';

export interface Business {
  slug: string;
  name: string;
  timeZone: string;
}

/** `#/bookings/week/2024-06-03` → `['bookings', 'week', '2024-06-03']`. */
function readRoute(): string[] {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  return parts.length > 0 ? parts.map(decodeURIComponent) : ['bookings'];
}

export function navigate(path: string): void {
  location.hash = `#/${path}`;
}

type Phase = 'starting' | 'signed-out' | 'signed-in';

const SESSION_ENDED = 'Your session has ended. Sign in again to continue.';

export function App({ session, business }: { session: Session; business: Business }) {
  const [phase, setPhase] = useState<Phase>('starting');
  const [notice, setNotice] = useState<string | undefined>();
  // The sign-in form replaced the console (the session ended, or the person signed out): it
  // takes focus, which would otherwise be left on the body where the console was.
  const [leftConsole, setLeftConsole] = useState(false);
  const [bootError, setBootError] = useState<unknown>();
  const [route, setRoute] = useState(readRoute);

  useEffect(() => {
    const onHash = () => setRoute(readRoute());
    addEventListener('hashchange', onHash);
    session.onExpired = () => {
      setNotice(SESSION_ENDED);
      setLeftConsole(true);
      setPhase('signed-out');
    };
    session.resume().then(
      (resumed) => {
        if (resumed === 'ended') setNotice(SESSION_ENDED);
        setPhase(resumed === 'resumed' ? 'signed-in' : 'signed-out');
      },
      (error: unknown) => {
        setBootError(error);
        setPhase('signed-out');
      },
    );
    return () => removeEventListener('hashchange', onHash);
  }, []);

  if (phase === 'starting') {
    return (
      <p class="boot" role="status">
        Loading the console…
      </p>
    );
  }
  if (phase === 'signed-out' && route[0] === 'join' && route[1]) {
    return (
      <Join
        session={session}
        businessName={business.name}
        token={route[1]}
        onJoined={() => {
          setNotice(undefined);
          setBootError(undefined);
          navigate('bookings');
          setPhase('signed-in');
        }}
      />
    );
  }
  if (phase === 'signed-out') {
    return (
      <SignIn
        session={session}
        businessName={business.name}
        notice={bootError ? describeError(bootError) : notice}
        takeFocus={leftConsole}
        onSignedIn={() => {
          setNotice(undefined);
          setBootError(undefined);
          setPhase('signed-in');
        }}
      />
    );
  }
  return (
    <Shell
      session={session}
      business={business}
      route={route}
      onSignedOut={(message) => {
        setNotice(message);
        setLeftConsole(true);
        setPhase('signed-out');
      }}
    />
  );
}

const SECTIONS = [
  { id: 'bookings', label: 'Bookings', managersOnly: false },
  { id: 'services', label: 'Services', managersOnly: true },
  { id: 'staff', label: 'Staff and hours', managersOnly: true },
  { id: 'team', label: 'Team', managersOnly: true },
  { id: 'account', label: 'Account', managersOnly: false },
] as const;

function Shell({
  session,
  business,
  route,
  onSignedOut,
}: {
  session: Session;
  business: Business;
  route: string[];
  /** Back to the sign-in form, which shows `notice`. */
  onSignedOut: (notice: string) => void;
}) {
  const section = route[0] ?? 'bookings';
  const sections = SECTIONS.filter((s) => !s.managersOnly || session.canManageCatalogue);
  const staffNames = useStaffNames(session, section);
  const main = useRef<HTMLElement>(null);
  // Bumped when the person's own role changed, so the menu and views follow the new one.
  const [, setClaimsVersion] = useState(0);

  // A new section moves focus to its content, as a page load would, so screen readers announce it.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [route.join('/')]);

  async function signOut() {
    await session.signOut();
    onSignedOut('You have signed out.');
  }

  let content;
  const known = SECTIONS.find((s) => s.id === section);
  if (section === 'join') {
    content = <AlreadySignedIn />;
  } else if (!known) {
    content = <NotFound />;
  } else if (known.managersOnly && !session.canManageCatalogue) {
    content = <Forbidden what={known.label} role={session.role} />;
  } else if (section === 'services') {
    content = <ServicesView session={session} route={route.slice(1)} staffNames={staffNames} />;
  } else if (section === 'staff') {
    content = <StaffView session={session} route={route.slice(1)} business={business} />;
  } else if (section === 'team') {
    content = (
      <TeamView
        session={session}
        business={business}
        onOwnRoleChanged={() => {
          // A renewal that fails has ended the session, which sends the person to sign in.
          session.renewClaims().then(
            () => setClaimsVersion((n) => n + 1),
            () => undefined,
          );
        }}
      />
    );
  } else if (section === 'account') {
    content = (
      <AccountView
        session={session}
        onPasswordChanged={() =>
          onSignedOut('Your password has been changed. Sign in again with the new one.')
        }
      />
    );
  } else {
    content = (
      <BookingsView
        session={session}
        business={business}
        route={route.slice(1)}
        staffNames={staffNames}
      />
    );
  }

  return (
    <>
      <a class="skip-link" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <header class="console-header">
        <p class="business-name">{business.name}</p>
        <nav aria-label="Console">
          <ul>
            {sections.map((s) => (
              <li key={s.id}>
                <a href={`#/${s.id}`} aria-current={s.id === section ? 'page' : undefined}>
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="account">
          <span class="role">{roleLabel(session.role)}</span>
          <button class="button secondary" type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {content}
      </main>
    </>
  );
}

function skipToMain(event: Event) {
  // The hash is the router's; move focus without changing it.
  event.preventDefault();
  document.getElementById('main')?.focus();
}

function roleLabel(role: Session['role']): string {
  if (role === 'owner') return 'Owner';
  if (role === 'admin') return 'Admin';
  if (role === 'staff') return 'Staff';
  return 'Signed in';
}

/** An invitation link opened where someone is signed in already: joining would replace them. */
function AlreadySignedIn() {
  return (
    <section>
      <h1 tabIndex={-1}>Invitation</h1>
      <p class="notice warning" role="status">
        Someone is signed in to this business in this browser. Sign out, then open the invitation
        link again to join.
      </p>
    </section>
  );
}

function NotFound() {
  return (
    <section>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        This console has no such page. <a href="#/bookings">Go to bookings</a>.
      </p>
    </section>
  );
}

export function Forbidden({ what, role }: { what: string; role: Session['role'] }) {
  return (
    <section>
      <h1 tabIndex={-1}>{what}</h1>
      <p class="notice warning" role="alert">
        Your role ({roleLabel(role).toLowerCase()}) cannot open {what.toLowerCase()}. Ask an owner
        or admin of the business if you need a change here.
      </p>
    </section>
  );
}

/**
 * Staff names for the booking views, read again whenever the section changes (names may have
 * been edited meanwhile). Only owners and admins may list staff; for others the map stays empty
 * and bookings show no staff name.
 */
function useStaffNames(session: Session, section: string): Map<string, string> {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    if (!session.canManageCatalogue) return;
    session
      .call<{ items: { id: string; name: string }[] }>('GET', 'admin/staff')
      .then((answer) => setNames(new Map(answer.items.map((s) => [s.id, s.name]))))
      .catch((error: unknown) => {
        // The bookings view still works without names; a real failure shows there on its own.
        if (!(error instanceof ApiError)) throw error;
      });
  }, [session, section]);
  return names;
}
