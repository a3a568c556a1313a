import { ScreenHeading } from '../common/ScreenHeading';
import { SignInForm } from './SignInForm';

export function SignInScreen({ notice }: { readonly notice: string | null }) {
  return (
    <main id="main" className="narrow sign-in">
      <img src="/icon.svg" alt="" width="64" height="64" />
      <ScreenHeading title="Sign in">Sign in to Dunwell</ScreenHeading>
      {notice !== null && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <SignInForm />
      <p className="muted">After the first sign-in this device keeps your portfolio and works without a network.</p>
    </main>
  );
}
