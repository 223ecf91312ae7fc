import { useLocation } from 'preact-iso';
import { SignedInPage } from '../../components/SignedInPage';
import { FileTimeline } from './FileTimeline';
import { RunsView } from './RunsView';

/** Operators: the workflow runs (failures first), or one file's timeline with `?file=<fileId>`. */
export function OperationsPage() {
  const { query } = useLocation();
  const fileId = query.file;
  return (
    <SignedInPage skipTo="Skip to the content">
      {fileId ? <FileTimeline fileId={fileId} /> : <RunsView />}
    </SignedInPage>
  );
}
