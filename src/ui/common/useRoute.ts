import { useSyncExternalStore } from 'react';
import { currentPath, parseRoute, subscribeLocation, type Route } from './router';

// A parse per render is cheap, but the same Route object keeps memoized children from re-rendering.
let lastPath = '';
let lastRoute: Route = { name: 'today' };

function routeSnapshot(): Route {
  const path = currentPath();
  if (path !== lastPath) {
    lastPath = path;
    lastRoute = parseRoute(path);
  }
  return lastRoute;
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribeLocation, routeSnapshot, () => lastRoute);
}
