import { html } from "../html.js";
import { BASE, page } from "../layout.js";

/** The sign-in form: the token goes in a POST body once, and a session cookie comes back. */
export function signInPage(options: { next: string; failed: boolean }): string {
  const body = html`<h1>Sign in</h1>
<p>This dashboard is served on a network interface, so reading it needs the dashboard token (<code>SPARKY_DASHBOARD_TOKEN</code> in the server's environment).</p>
${options.failed ? html`<p class="notice bad" role="alert">That token is not the one configured.</p>` : ""}
<form method="post" action="${BASE}/sign-in" class="sign-in">
<input type="hidden" name="next" value="${options.next}">
<label>Dashboard token <input type="password" name="token" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>`;
  return page({ title: "Sign in", section: "sign-in", body });
}
