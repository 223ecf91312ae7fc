import { useLocation } from 'preact-iso';
import { TopBar } from '../../components/TopBar';
import { FileTimeline } from './FileTimeline';
import { RunsView } from './RunsView';

/** Operators: the workflow runs (failures first), or one file's timeline with `?file=<fileId>`. */
export function OperationsPage() {
  const { query } = useLocation();
  const fileId = query.file;
  return (
    <div class="app">
      <a class="skip-link" href="#main">
        Skip to the content
      </a>
      <TopBar />
      <main id="main" class="files-main">
        {fileId ? <FileTimeline fileId={fileId} /> : <RunsView />}
      </main>
    </div>
  );
}
