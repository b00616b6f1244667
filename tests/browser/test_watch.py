"""The watcher every browser test relies on tells a page's own failures from
the requests a navigation cancels, whatever order the browser reports them in."""

from __future__ import annotations

#: a script the page's own route never answers, so it stays on the way
PENDING = "assets/never-answers.js"
ADD_SCRIPT = """src => { const s = document.createElement('script'); s.src = src;
                        document.head.append(s); }"""
FETCH_AND_ABORT = """async src => {
    const ctl = new AbortController();
    const pending = fetch(src, {signal: ctl.signal}).catch(() => null);
    ctl.abort();
    await pending;
}"""


def _hold(page) -> None:
    page.route("**/" + PENDING, lambda route: None)


def test_a_reload_while_a_script_loads_is_not_a_failure(tab):
    """What raced in test_a_shared_url_restores_the_view: the page reloads while
    one of its scripts is still on the way, and the browser cancels it."""
    page = tab.open("blog/")
    _hold(page)
    with page.expect_request("**/" + PENDING):
        page.evaluate(ADD_SCRIPT, PENDING)
    with page.expect_event("requestfailed", lambda req: PENDING in req.url):
        page.reload()
    assert tab.watch.aborted, "the pending script was not cancelled by the reload"
    tab.watch.assert_clean("reload during a load")


def test_a_request_the_page_itself_cancels_is_still_reported(tab):
    """Without a navigation, a cancelled request belongs to the page on screen
    and stays a failure."""
    page = tab.open("blog/")
    _hold(page)
    with page.expect_event("requestfailed", lambda req: PENDING in req.url):
        page.evaluate(FETCH_AND_ABORT, PENDING)
    problems = tab.watch.problems()
    assert any(PENDING in p and "ERR_ABORTED" in p for p in problems), problems
