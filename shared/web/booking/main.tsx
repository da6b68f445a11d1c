import { render } from 'preact';

import '../common/base.css';

const root = document.getElementById('app')!;
render(<h1>Booking {root.dataset.slug}</h1>, root);
