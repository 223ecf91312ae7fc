/** The owner app: accounts, uploads, files and links. */
import { render } from 'preact';
import { configureAuth } from './auth/session';
import { App } from './pages/App';
import { Boot } from './pages/Boot';
import './styles/base.css';
import './styles/app.css';

const root = document.getElementById('app');
if (root) {
  render(
    <Boot>
      {(config) => {
        configureAuth(config);
        return <App config={config} />;
      }}
    </Boot>,
    root,
  );
}
