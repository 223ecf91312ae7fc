/**
 * The recipients' page, `/s/{token}`: its own small bundle, with no Uppy and no Cognito code.
 */
import { render } from 'preact';
import { ApiClient } from './api/client';
import { Boot } from './pages/Boot';
import { SharePage } from './pages/share/SharePage';
import { tokenFromPath } from './pages/share/share-token';
import './styles/base.css';
import './styles/share.css';

const root = document.getElementById('share');
if (root) {
  render(
    <Boot>{(config) => <SharePage api={new ApiClient({ apiUrl: config.apiUrl })} token={tokenFromPath(location.pathname)} />}</Boot>,
    root,
  );
}
