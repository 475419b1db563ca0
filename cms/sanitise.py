"""Content on its way out of the system: rich text through an HTML allowlist, links only to safe schemes.

Stored content is not trusted to be what the admin would have saved: rows can be written by a
migration, a script, an import or an attacker with database access. So the API, the feeds and the
embed clean what they send, whatever is stored. Rich text goes through Ammonia (`nh3`), a kept
HTML sanitiser; URLs are checked the way a browser reads them.
"""

import html
import re

import nh3

# Schemes a link may use. `data:` is refused everywhere: editors never produce it, and images come
# out as renditions, never inline.
SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# What browsers ignore when they read a URL: leading and trailing C0 controls and spaces, and any
# tab or newline anywhere (WHATWG URL standard), so `java\tscript:` is `javascript:` to them.
_URL_IGNORED_EDGES = "".join(chr(code) for code in range(0x21))
_URL_IGNORED_ANYWHERE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")

# What the rich text editor produces (cms.blocks.RICH_TEXT_FEATURES and Wagtail's default features).
RICH_TEXT_TAGS = frozenset(
    {"p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "b", "strong", "i", "em", "u", "s", "sub", "sup"}
    | {"ul", "ol", "li", "blockquote", "code", "a"}
)
# Draftail keeps a `data-block-key` on each block; frontends may use it as a React key.
_BLOCK_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote")
RICH_TEXT_ATTRIBUTES = {"a": {"href"}, **{tag: {"data-block-key"} for tag in _BLOCK_TAGS}}
# Elements dropped together with everything inside them, not just unwrapped.
_DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math", "title"}
    | {"textarea", "select", "frame", "frameset", "applet", "noembed", "xmp"}
)


def safe_url(url: str | None) -> str | None:
    """`url` if a browser would read it as relative or with a safe scheme; None otherwise.

    Character references are decoded first (`&#106;avascript:`, `javascript&colon;`), so a URL that
    is later put into HTML unescaped cannot turn into a script either.
    """
    if not url:
        return None
    readings, decoded = [], url
    # Also as decoded once and twice: a frontend that puts the URL into HTML unescaped, or a
    # template that escapes what was already escaped, still sees no other scheme.
    for _ in range(3):
        readings.append(_URL_IGNORED_ANYWHERE.sub("", decoded.strip(_URL_IGNORED_EDGES)))
        decoded = html.unescape(decoded)
    # Controls inside a URL (a tab or newline included) have no business there.
    inner = url.strip(_URL_IGNORED_EDGES)
    if not inner or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in inner):
        return None
    for reading in readings:
        scheme = _SCHEME.match(reading)
        if scheme and scheme.group(1).lower() not in SAFE_URL_SCHEMES:
            return None
        # A colon before any `/`, `?` or `#` outside a valid scheme (`java script:`) makes a relative
        # path to a browser; no legitimate link looks like that.
        if not scheme and ":" in re.split(r"[/?#]", reading, maxsplit=1)[0]:
            return None
    return inner


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src"):
        return safe_url(value)
    return value


_rich_text_cleaner = nh3.Cleaner(
    tags=set(RICH_TEXT_TAGS),
    clean_content_tags=set(_DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in RICH_TEXT_ATTRIBUTES.items()},
    attribute_filter=_filter_attribute,
    url_schemes=set(SAFE_URL_SCHEMES),
    strip_comments=True,
    link_rel=None,
)


# Clean content should come out byte for byte as Wagtail stored it: the serialiser writes void
# elements as `<br>` and a no-break space as `&nbsp;`, Wagtail `<br/>` and the character itself.
# Text never holds a raw `<`, so only elements match; both forms mean the same to any parser.
_VOID_ELEMENT = re.compile(r"<(br|hr)>")


def clean_rich_text(value: str) -> str:
    """HTML reduced to what the rich text editor makes: its tags, `href` on links, nothing executable."""
    cleaned = _rich_text_cleaner.clean(value)
    return _VOID_ELEMENT.sub(r"<\1/>", cleaned).replace("&nbsp;", "\u00a0")
