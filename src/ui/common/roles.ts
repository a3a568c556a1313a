import type { SessionUser } from '../../app/collector-app';

/** Managers and administrators see the manager's screens and start Today on the whole team. */
export function isManager(user: SessionUser): boolean {
  return user.role === 'manager' || user.role === 'admin';
}
