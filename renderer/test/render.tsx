/**
 * Minimal rendering helpers for jsdom component tests (no testing-library dependency): render into a
 * container with act(), wait for a condition, and a fake HostClient whose methods tests override.
 */
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import type { HostClient } from '../../shared/contract/host-api';
import { HostProvider } from '../app/host-context';
import { setUpI18n } from '../app/i18n';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export interface Rendered {
  container: HTMLElement;
  unmount(): void;
}

export async function render(ui: ReactNode, client: HostClient = fakeHostClient()): Promise<Rendered> {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const i18n = setUpI18n('fi');
  let root: Root;
  await act(async () => {
    root = createRoot(container);
    root.render(
      <I18nextProvider i18n={i18n}>
        <HostProvider client={client}>{ui}</HostProvider>
      </I18nextProvider>,
    );
  });
  return {
    container,
    unmount() {
      act(() => root.unmount());
      container.remove();
    },
  };
}

/** Flushes pending promises and React updates until `condition` holds (or fails after a while). */
export async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('waitFor: condition not met');
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
  }
}

export async function click(element: Element | null): Promise<void> {
  if (!element) throw new Error('click: no element');
  await act(async () => {
    (element as HTMLElement).click();
  });
}

/** A HostClient whose every method rejects unless the test supplies it. */
export function fakeHostClient(overrides: Partial<HostClient> = {}): HostClient {
  const notImplemented = (name: string) => () => Promise.reject(new Error(`fake host: ${name} not implemented`));
  const base = new Proxy({} as Record<string, unknown>, {
    get: (_target, property: string) => (property === 'on' ? () => () => {} : notImplemented(property)),
  });
  return new Proxy(overrides as HostClient, {
    get: (target, property: string) => (property in target ? (target as unknown as Record<string, unknown>)[property] : base[property]),
  });
}
