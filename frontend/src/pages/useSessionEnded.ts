import { useLocation } from 'preact-iso';
import { useCallback } from 'preact/hooks';
import { ApiError } from '../api/errors';
import { useApp } from './app-context';

/** Sends the person to sign in when the session has ended; true when it did. */
export function useSessionEnded(): (error: unknown) => boolean {
  const { setEmail } = useApp();
  const { route } = useLocation();
  return useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.kind === 'session') {
        setEmail(null);
        route('/sign-in');
        return true;
      }
      return false;
    },
    [route, setEmail],
  );
}
