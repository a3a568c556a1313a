/** A refusal from the app or the form's own check, announced as it appears. */
export function FormError({ error }: { readonly error: string | null }) {
  if (error === null) return null;
  return (
    <p role="alert" className="error">
      {error}
    </p>
  );
}
