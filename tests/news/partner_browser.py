"""What the widget's browser tests share: a partner page's HTML, the strict CSP it is served with,
and what the browser reported about it (the fixtures are in conftest.py)."""

import http.server

PLACEHOLDER = "https://cms.example.org"
FRONTEND = "https://frontend.test"


def strict_csp(cms):
    return (
        f"default-src 'none'; script-src {cms}; connect-src {cms}; img-src {cms}; "
        f"style-src 'self'; frame-src {cms}"
    )


def page_html(body, title="A partner of the Peru Support Group"):
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        '<link rel="stylesheet" href="/partner.css">\n</head>\n<body>\n' + body + "\n</body>\n</html>\n"
    )


class PartnerHandler(http.server.SimpleHTTPRequestHandler):
    csp = ""

    def end_headers(self):
        self.send_header("Content-Security-Policy", self.csp)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args):
        pass


# Records CSP violations in every frame, from before any page script runs.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def csp_problems(page):
    reported = [text for text in page.console if "Content Security Policy" in text or "Refused to" in text]
    for frame in page.frames:
        reported += frame.evaluate("window.__cspViolations || []")
    return reported
