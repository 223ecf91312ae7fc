"""Accounts: sign out, a forgotten password, and a wrong password said in words."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.app_flows import sign_in, sign_up


def test_sign_out_then_reset_a_forgotten_password_and_sign_in_with_the_new_one(owner: Page) -> None:
    email = sign_up(owner)
    owner.get_by_role("button", name="Sign out").click()
    expect(owner.get_by_role("heading", name="Sign in")).to_be_visible()
    owner.goto("/")
    expect(owner.get_by_role("heading", name="Sign in")).to_be_visible()  # signed out for good

    owner.get_by_label("Password").fill("Not-the-password-1")
    owner.get_by_label("Email").fill(email)
    owner.get_by_role("button", name="Sign in").click()
    expect(owner.get_by_role("alert")).to_have_text("The email or the password is not right.")

    owner.get_by_role("link", name="Forgot your password?").click()
    owner.get_by_label("Email").fill(email)
    owner.get_by_role("button", name="Send code").click()
    # Locally no email is sent and moto takes any code that it did not issue itself.
    owner.get_by_label("Code").fill("123456")
    owner.get_by_label("New password").fill("Brand-new-pass-2")
    owner.get_by_role("button", name="Set new password").click()
    expect(owner.get_by_text("Your password is changed. Sign in with the new one.")).to_be_visible()
    expect(owner.get_by_label("Email")).to_have_value(email)

    sign_in(owner, email, "Brand-new-pass-2")
    expect(owner.get_by_text(email)).to_be_visible()


def test_a_weak_password_at_sign_up_is_refused_with_the_rule(owner: Page) -> None:
    owner.goto("/sign-up")
    owner.get_by_label("Email").fill("weak@example.com")
    owner.get_by_label("Password").fill("short")
    owner.get_by_role("button", name="Create account").click()
    expect(owner.get_by_role("alert")).to_contain_text("Choose another password")
