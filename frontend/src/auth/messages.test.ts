import { describe, expect, it } from 'vitest';
import { authSentence } from './messages';

function named(name: string, message = ''): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('authSentence', () => {
  it('says a wrong password and an unknown email the same way', () => {
    expect(authSentence(named('NotAuthorizedException'))).toBe('The email or the password is not right.');
    expect(authSentence(named('UserNotFoundException'))).toBe('The email or the password is not right.');
  });

  it("names the password rule Cognito says was broken, or the pool's rule", () => {
    expect(
      authSentence(named('InvalidPasswordException', 'Password did not conform with policy: Password must have numeric characters')),
    ).toBe('Choose another password: Password must have numeric characters.');
    expect(authSentence(named('InvalidPasswordException', 'bad'))).toMatch(/^Choose another password: at least 10/);
  });

  it('never shows an exception name', () => {
    expect(authSentence(named('SomethingNewException'))).toBe('Signing in did not work. Try again in a moment.');
    expect(authSentence(new TypeError('Failed to fetch'))).toMatch(/cannot be reached/);
  });
});
