/** Cognito's and Amplify's failures, in words. */
const SENTENCES: Record<string, string> = {
  NotAuthorizedException: 'The email or the password is not right.',
  UserNotFoundException: 'The email or the password is not right.',
  UsernameExistsException: 'There is already an account with this email. Sign in instead.',
  CodeMismatchException: 'That code is not right. Check the email and try again.',
  ExpiredCodeException: 'That code has expired. Ask for a new one.',
  LimitExceededException: 'Too many attempts. Try again later.',
  TooManyRequestsException: 'Too many attempts. Try again later.',
  TooManyFailedAttemptsException: 'Too many attempts. Try again later.',
  UserNotConfirmedException: 'This account is not confirmed yet. Enter the code from the email.',
  InvalidParameterException: 'Some of what you typed is not valid. Check it and try again.',
  EmptySignInUsername: 'Enter your email.',
  EmptySignInPassword: 'Enter your password.',
  EmptySignUpUsername: 'Enter your email.',
  EmptySignUpPassword: 'Enter a password.',
  UserAlreadyAuthenticatedException: 'You are signed in already.',
  NetworkError: 'The sign-in service cannot be reached. Check your connection and try again.',
};

export function authSentence(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'InvalidPasswordException' && error instanceof Error) {
    // Cognito says which rule the password breaks: "Password did not conform with policy: ..."
    const rule = error.message.split(':').slice(1).join(':').trim();
    return `Choose another password: ${rule ? rule.replace(/\.?$/, '.') : 'at least 10 characters, with upper and lower case letters and a digit.'}`;
  }
  if (name in SENTENCES) return SENTENCES[name] ?? '';
  if (error instanceof TypeError) return SENTENCES.NetworkError ?? '';
  return 'Signing in did not work. Try again in a moment.';
}
