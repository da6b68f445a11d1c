import { render } from 'preact';

import '../common/base.css';
import './booking.css';
import { BookingApp } from './booking-app.js';
import { ManageApp } from './manage-app.js';

const root = document.getElementById('app')!;
const slug = root.dataset.slug ?? '';
// The shell's "Loading…" text goes; the app renders in its place.
root.replaceChildren();
render(
  root.dataset.view === 'manage' ? <ManageApp slug={slug} /> : <BookingApp slug={slug} />,
  root,
);
