import { render } from 'preact';
import { App } from './app';
import './styles.css';

const root = document.getElementById('app')!;
// The page shows "Loading LangBot…" until the script runs; the app replaces it.
root.textContent = '';
render(<App />, root);
