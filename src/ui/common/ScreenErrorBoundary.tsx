import { Component, type ReactNode } from 'react';

interface State {
  readonly error: Error | null;
}

/**
 * A screen that throws while rendering shows what went wrong and a way back, instead of blanking the
 * whole app: the collector's unsynced work and the header's sync state stay in view. Keyed by the
 * route, so moving to another screen starts afresh.
 */
export class ScreenErrorBoundary extends Component<{ readonly children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render() {
    if (this.state.error === null) return this.props.children;
    return (
      <div className="screen narrow">
        <h1>This screen could not be shown</h1>
        <p role="alert">{this.state.error.message}</p>
        <p>Your work is saved on this device. Go back to Today and try again; if it happens again, tell your administrator.</p>
        <a className="button" href="/">
          Back to Today
        </a>
      </div>
    );
  }
}
