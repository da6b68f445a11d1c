import { render } from 'preact';

import '../common/base.css';

const root = document.getElementById('app')!;
render(<h1>Console {root.dataset.slug}</h1>, root);
