/**
 * Accounts through Amplify Auth (Cognito user pool, USER_PASSWORD_AUTH sign-in). Tokens are kept in
 * sessionStorage (see docs/security.md); `idToken()` refreshes them before they expire, so every
 * API call carries a valid token even during a long upload.
 */
import { Amplify, sessionStorage } from '@aws-amplify/core';
import {
  confirmResetPassword,
  confirmSignUp,
  fetchAuthSession,
  fetchUserAttributes,
  getCurrentUser,
  resendSignUpCode,
  resetPassword,
  signIn,
  signOut,
  signUp,
} from '@aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from '@aws-amplify/auth/cognito';
import type { AppConfig } from '../api/config';
import { ApiError } from '../api/errors';
import { authSentence } from './messages';

export function configureAuth(config: AppConfig): void {
  const auth = {
    Cognito: {
      userPoolId: config.userPoolId,
      userPoolClientId: config.userPoolClientId,
      ...(config.cognitoEndpoint ? { userPoolEndpoint: config.cognitoEndpoint } : {}),
      loginWith: { email: true },
    },
  };
  cognitoUserPoolsTokenProvider.setAuthConfig(auth);
  cognitoUserPoolsTokenProvider.setKeyValueStorage(sessionStorage);
  Amplify.configure({ Auth: auth }, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });
}

/** Runs an Amplify call and turns its failure into a sentence. */
async function wrapped<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new Error(authSentence(error), { cause: error });
  }
}

export type SignInResult = 'signed-in' | 'needs-confirmation';

export async function signInWithPassword(email: string, password: string): Promise<SignInResult> {
  // USER_PASSWORD_AUTH, not SRP: moto's SRP accepts any password, so SRP could not be tested
  // locally (docs/decisions.md). The password goes to Cognito over TLS either way.
  const result = await wrapped(() =>
    signIn({ username: email, password, options: { authFlowType: 'USER_PASSWORD_AUTH' } }),
  );
  if (result.isSignedIn) return 'signed-in';
  if (result.nextStep.signInStep === 'CONFIRM_SIGN_UP') return 'needs-confirmation';
  throw new Error('This account needs a sign-in step the app does not support.');
}

/** Creates the account; `true` when it is confirmed already (the local stack confirms at once). */
export async function register(email: string, password: string): Promise<boolean> {
  const result = await wrapped(() =>
    signUp({ username: email, password, options: { userAttributes: { email } } }),
  );
  return result.isSignUpComplete || result.nextStep.signUpStep === 'DONE';
}

export async function confirmRegistration(email: string, code: string): Promise<void> {
  await wrapped(() => confirmSignUp({ username: email, confirmationCode: code }));
}

export async function resendCode(email: string): Promise<void> {
  await wrapped(() => resendSignUpCode({ username: email }));
}

export async function startPasswordReset(email: string): Promise<void> {
  await wrapped(() => resetPassword({ username: email }));
}

export async function finishPasswordReset(email: string, code: string, newPassword: string): Promise<void> {
  await wrapped(() => confirmResetPassword({ username: email, confirmationCode: code, newPassword }));
}

export async function signOutEverywhere(): Promise<void> {
  await signOut().catch(() => undefined);
}

/** The signed-in person's email, or null when nobody is signed in. */
export async function currentEmail(): Promise<string | null> {
  try {
    const user = await getCurrentUser();
    const attributes: Record<string, string | undefined> = await fetchUserAttributes().catch(() => ({}));
    return attributes.email ?? user.signInDetails?.loginId ?? user.username;
  } catch {
    return null;
  }
}

/** Whether the signed-in person is an operator: their ID token's `cognito:groups` lists `operators`.
 * Only hides or shows the Operations view; the API checks the same claim on every /ops call. */
export async function isOperator(): Promise<boolean> {
  try {
    const groups = (await fetchAuthSession()).tokens?.idToken?.payload['cognito:groups'];
    return Array.isArray(groups) && groups.includes('operators');
  } catch {
    return false;
  }
}

/** A valid ID token, refreshed first when it has expired; a sentence when the session is gone. */
export async function idToken(): Promise<string> {
  let token: string | undefined;
  try {
    token = (await fetchAuthSession()).tokens?.idToken?.toString();
  } catch {
    token = undefined;
  }
  if (!token) throw new ApiError('Your session has ended. Sign in again.', 'session', 401, 'unauthorized');
  return token;
}
