/**
 * Client-side routes on the History API. Few screens, so no router library: a path parses to a Route
 * and `navigate` pushes it. The server and the service worker answer every non-API path with the app
 * shell, so a reload or a shared link opens the same screen.
 */
export const MANAGER_TABS = ['escalations', 'team', 'dashboard', 'assign', 'strategies', 'import'] as const;
export type ManagerTab = (typeof MANAGER_TABS)[number];

export type Route =
  | { readonly name: 'today' }
  | { readonly name: 'account'; readonly accountNumber: string }
  | { readonly name: 'settings' }
  | { readonly name: 'sign-out' }
  | { readonly name: 'manager'; readonly tab: ManagerTab };

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter((p) => p !== '');
  const [first, second] = parts;
  if (first === 'accounts' && second !== undefined) return { name: 'account', accountNumber: safeDecode(second) };
  if (first === 'settings') return { name: 'settings' };
  if (first === 'sign-out') return { name: 'sign-out' };
  if (first === 'manager') {
    const tab = MANAGER_TABS.find((t) => t === second) ?? 'escalations';
    return { name: 'manager', tab };
  }
  return { name: 'today' };
}

export function pathOf(route: Route): string {
  switch (route.name) {
    case 'today':
      return '/';
    case 'account':
      return `/accounts/${encodeURIComponent(route.accountNumber)}`;
    case 'settings':
      return '/settings';
    case 'sign-out':
      return '/sign-out';
    case 'manager':
      return `/manager/${route.tab}`;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const listeners = new Set<() => void>();

export function subscribeLocation(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function currentPath(): string {
  return window.location.pathname;
}

/** Screens that focus their heading on arrival read this, so a first load does not steal focus. */
let navigated = false;
export function hasNavigated(): boolean {
  return navigated;
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === window.location.pathname) return;
  navigated = true;
  if (options.replace === true) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  for (const l of listeners) l();
}
