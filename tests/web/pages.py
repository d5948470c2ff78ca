"""Helpers that drive the console and board pages in a real browser."""

from __future__ import annotations

from typing import Any

from tests.web.server_harness import ADMIN_PASSWORD, WebServer


def new_context(browser: Any) -> Any:
    """A fresh browser profile. The pages' CSP forbids eval, which Playwright's
    string predicates use; ``test_pages_run_under_their_csp`` covers the CSP."""
    return browser.new_context(bypass_csp=True)


# Chromium builds differ in whether ``--autoplay-policy`` still blocks sound
# in headless mode (156.0.8078.114 lets it play). A board must be tested
# against a browser that refuses, so the refusal is made deterministic: until
# the page has had a real user gesture, every ``play()`` rejects exactly as a
# browser's autoplay policy does (``NotAllowedError``).
REFUSE_AUTOPLAY_UNTIL_GESTURE = """
(() => {
  let touched = false;
  for (const type of ["pointerdown", "mousedown", "keydown", "touchstart", "click"]) {
    window.addEventListener(type, (e) => { if (e.isTrusted) touched = true; }, true);
  }
  const realPlay = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (...args) {
    if (!touched) {
      return Promise.reject(new DOMException(
        "play() failed because the user didn't interact with the document first.",
        "NotAllowedError"));
    }
    return realPlay.apply(this, args);
  };
})();
"""


def new_strict_context(browser: Any) -> Any:
    """A fresh profile whose pages refuse to play sound before a user gesture."""
    context = new_context(browser)
    context.add_init_script(REFUSE_AUTOPLAY_UNTIL_GESTURE)
    return context


def wait_board_waiting(page: Any, expected: dict[str, int], timeout: float = 10_000) -> None:
    """Wait until the board's waiting counts per service prefix equal ``expected``."""
    page.wait_for_function(
        """want => {
          const got = {};
          for (const s of document.querySelectorAll('#waiting-services .svc')) {
            got[s.querySelector('.svc-prefix').textContent] =
              Number(s.querySelector('.svc-count').textContent);
          }
          return JSON.stringify(got) === JSON.stringify(want);
        }""",
        arg=expected,
        timeout=timeout,
    )


def open_board(context: Any, server: WebServer, *, size: tuple[int, int] = (1920, 1080)) -> Any:
    page = context.new_page()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{server.url}/board?token={server.board_token}")
    page.wait_for_function("window.loketBoard && window.loketBoard.events.online === true")
    return page


def open_console(
    context: Any,
    server: WebServer,
    *,
    username: str = "admin",
    password: str = ADMIN_PASSWORD,
    counter: int = 1,
    lang: str | None = None,
) -> Any:
    page = context.new_page()
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{server.url}/console" + (f"?lang={lang}" if lang else ""))
    page.locator("#login-username").fill(username)
    page.locator("#login-password").fill(password)
    page.locator("#login-form button[type=submit]").click()
    page.locator("#app-view").wait_for(state="visible")
    page.wait_for_function("window.loketConsole.events && window.loketConsole.events.online")
    page.locator("#counter-select").select_option(label=f"Loket {counter}")
    page.wait_for_function(
        "n => window.loketConsole.counter() && window.loketConsole.counter().number === n",
        arg=counter,
    )
    return page


def board_log(page: Any) -> list[dict[str, Any]]:
    log: list[dict[str, Any]] = page.evaluate("window.loketBoard.announcer.log.map(i => ({...i}))")
    return log


def wait_board_number(page: Any, number: str, timeout: float = 10_000) -> None:
    page.wait_for_function(
        "n => document.getElementById('current-number').textContent === n",
        arg=number,
        timeout=timeout,
    )
