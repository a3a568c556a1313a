/** What shows while the app layer opens the device's storage, and if it cannot (private mode, no IndexedDB). */
export function Starting() {
  return (
    <main id="main" className="narrow sign-in">
      <p role="status">Opening Dunwell…</p>
    </main>
  );
}

export function StartFailed({ error }: { readonly error: string }) {
  return (
    <main id="main" className="narrow sign-in">
      <h1>Dunwell could not start</h1>
      <p role="alert">{error}</p>
      <p>Dunwell keeps your portfolio in this browser’s storage. A private window, or storage turned off for this site, prevents that.</p>
      <button type="button" className="primary" onClick={() => window.location.reload()}>
        Try again
      </button>
    </main>
  );
}
