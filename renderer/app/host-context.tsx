/** Makes the HostClient available to components, and a helper that runs a host call with error reporting. */
import { createContext, useCallback, useContext, type ReactNode } from 'react';
import type { HostClient } from '../../shared/contract/host-api';
import { useUiStore } from '../state/ui-store';

const HostContext = createContext<HostClient | null>(null);

export function HostProvider({ client, children }: { client: HostClient; children: ReactNode }) {
  return <HostContext.Provider value={client}>{children}</HostContext.Provider>;
}

export function useHost(): HostClient {
  const client = useContext(HostContext);
  if (!client) throw new Error('useHost outside HostProvider');
  return client;
}

/**
 * Returns `run(action)`: awaits the action and returns its result, or shows the error in the banner and
 * returns undefined. Every user-triggered host call goes through it, so no failure is silent.
 */
export function useReportingCall(): <T>(action: () => Promise<T>) => Promise<T | undefined> {
  const reportError = useUiStore((state) => state.reportError);
  return useCallback(
    async <T,>(action: () => Promise<T>) => {
      try {
        return await action();
      } catch (error) {
        reportError(error);
        return undefined;
      }
    },
    [reportError],
  );
}
