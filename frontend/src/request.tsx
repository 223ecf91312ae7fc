/**
 * The uploaders' page, `/r/{token}`: someone without an account sends files to the person who asked.
 * Its own small bundle with no Cognito code; the upload area (Uppy) loads once the request is open.
 */
import { render } from 'preact';
import { ApiClient } from './api/client';
import { Boot } from './pages/Boot';
import { RequestPage } from './pages/request/RequestPage';
import { tokenFromPath } from './pages/share/share-token';
import './styles/base.css';
import './styles/share.css';

const root = document.getElementById('request');
if (root) {
  render(
    <Boot>
      {(config) => (
        <RequestPage api={new ApiClient({ apiUrl: config.apiUrl })} token={tokenFromPath(location.pathname, 'r')} />
      )}
    </Boot>,
    root,
  );
}
