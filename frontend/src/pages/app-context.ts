import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { AppConfig } from '../api/config';

export interface AppServices {
  config: AppConfig;
  api: ApiClient;
  /** The signed-in person's email, or null. */
  email: string | null;
  setEmail: (email: string | null) => void;
  /** In the operators group (from the ID token); undefined while it is being read. */
  operator: boolean | undefined;
}

export const AppContext = createContext<AppServices | null>(null);

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useApp outside the app');
  return services;
}
