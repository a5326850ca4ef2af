import { render } from 'preact';
import './styles.css';

function App() {
  return (
    <main class="app">
      <header class="app-header">
        <img class="logo" src="images/logo.svg" alt="Softphone" />
      </header>
      <p>Loading…</p>
    </main>
  );
}

render(<App />, document.getElementById('app')!);
