import { render } from 'preact';

import '../common/base.css';
import './console.css';
import { App } from './app';
import { Session } from './session';

const root = document.getElementById('app')!;
const business = {
  slug: root.dataset.slug ?? '',
  name: root.dataset.name ?? root.dataset.slug ?? '',
  timeZone: root.dataset.timeZone ?? 'UTC',
};
// The shell's loading text is replaced, not appended to.
root.textContent = '';
render(<App session={new Session(business.slug)} business={business} />, root);
