/*! Peru Support Group news widget. Usage and options: docs/partners.md in the PSG CMS. */
(function () {
  "use strict";

  // Included twice: the first copy already mounts every container.
  if (window.PSGNews && typeof window.PSGNews.mount === "function") return;
  // Captured now: document.currentScript is only set while this file first runs.
  var script = document.currentScript;
  if (!script || !script.src || typeof fetch !== "function") return;
  var ORIGIN = new URL(script.src, document.baseURI).origin;
  var MAX_COUNT = 20;
  var TIMEOUT_MS = 10000;

  var TEXTS = {
    en: {
      heading: "Latest news from the Peru Support Group",
      more: "More news from the Peru Support Group",
      empty: "No news yet.",
      loading: "Loading news…",
      fallback: "Read the latest news from the Peru Support Group"
    },
    es: {
      heading: "Últimas noticias del Peru Support Group",
      more: "Más noticias del Peru Support Group",
      empty: "Todavía no hay noticias.",
      loading: "Cargando noticias…",
      fallback: "Lea las últimas noticias del Peru Support Group"
    }
  };

  var QUERY =
    "query PsgNewsWidget($pageSize: Int!, $topic: String, $images: Boolean!) {" +
    " news(pageSize: $pageSize, topic: $topic) { items { title url summary publicationDate" +
    " mainImage @include(if: $images) { alt rendition(filter: WIDTH_400) { url width height } srcset } } } }";

  var CSS =
    ":host{display:block;font-family:var(--psg-news-font,inherit);font-size:var(--psg-news-font-size,1rem);" +
    "line-height:1.45;color:var(--psg-news-text,inherit);background:var(--psg-news-background,transparent)}" +
    ":host([hidden]){display:none}" +
    ".heading{margin:0 0 .75em;font-size:var(--psg-news-heading-size,1.25em);line-height:1.2;" +
    "color:var(--psg-news-heading-color,inherit)}" +
    "ul{margin:0;padding:0;list-style:none}" +
    "li{padding:var(--psg-news-gap,.75em) 0;border-top:1px solid var(--psg-news-border,rgba(0,0,0,.15))}" +
    "li:first-child{border-top:0;padding-top:0}" +
    "article{display:flow-root}" +
    ".title{margin:0 0 .25em;font-size:1.05em;line-height:1.3}" +
    "a{color:var(--psg-news-accent,#8c1c13)}" +
    "a:hover,a:focus-visible{text-decoration-thickness:2px}" +
    "a:focus-visible{outline:2px solid var(--psg-news-accent,#8c1c13);outline-offset:2px}" +
    ".date{margin:0 0 .25em;font-size:.875em;color:var(--psg-news-muted,#595959)}" +
    ".summary{margin:0}" +
    "img{display:block;width:100%;max-width:var(--psg-news-image-width,24rem);height:auto;" +
    "margin:0 0 .5em;border-radius:var(--psg-news-radius,0)}" +
    ".more{margin:.75em 0 0;font-weight:600}";

  var sheet = null;
  function adoptStyles(root) {
    // A constructed stylesheet is not an inline <style>, so a strict style-src CSP allows it.
    try {
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
      }
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      // Browsers without constructable stylesheets show the list unstyled, which still reads well.
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  // Links from the API are resolved against the CMS, never the partner's page: a path must not
  // turn into an address on the partner's own site. Only the partner's own attributes are theirs.
  function safeUrl(value, base) {
    try {
      var url = new URL(value, base || ORIGIN);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function warn(message) {
    if (window.console && console.warn) console.warn("PSG news: " + message);
  }

  // The same options, values and locales as the iframe page (news/embed.py), which refuses
  // anything else with a 400; here a refused option is named in the console and its default used.
  var OPTIONS = ["psgNews", "count", "topic", "images", "locale", "heading", "headingLevel", "fallbackUrl"];
  var LOCALES = ["en-GB", "es-PE"];

  function attribute(name) {
    return "data-" + name.replace(/[A-Z]/g, function (c) { return "-" + c.toLowerCase(); });
  }

  function checked(data, name, fallback, valid, rule) {
    var value = data[name];
    if (value == null || value === "") return fallback;
    var result = valid(value);
    if (result != null) return result;
    warn(attribute(name) + '="' + value + '" is refused: ' + rule + "; using " + fallback + ".");
    return fallback;
  }

  function whole(low, high) {
    return function (value) {
      var n = /^[0-9]+$/.test(value) ? +value : NaN;
      return n >= low && n <= high ? n : null;
    };
  }

  function options(host) {
    var data = host.dataset;
    Object.keys(data).forEach(function (name) {
      if (OPTIONS.indexOf(name) < 0) {
        warn(attribute(name) + " is not an option; the options are " + OPTIONS.slice(1).map(attribute).join(", ") + ".");
      }
    });
    var count = checked(data, "count", 5, whole(1, MAX_COUNT), "it must be a whole number from 1 to " + MAX_COUNT);
    var images = checked(data, "images", false, function (value) {
      // Not an object lookup: "constructor" would be found on every object, and count as true.
      return value === "true" || value === "1" ? true : value === "false" || value === "0" ? false : undefined;
    }, "it must be true or false");
    var locale = checked(data, "locale", "en-GB", function (value) {
      return LOCALES.filter(function (known) { return known.toLowerCase() === value.toLowerCase(); })[0];
    }, "it must be one of " + LOCALES.join(", "));
    var level = checked(data, "headingLevel", 2, whole(2, 5), "it must be 2, 3, 4 or 5");
    var texts = TEXTS[locale.slice(0, 2)];
    return {
      count: count,
      topic: data.topic || null,
      images: images,
      locale: locale,
      level: level,
      texts: texts,
      heading: data.heading || texts.heading,
      fallbackUrl: safeUrl(data.fallbackUrl || ORIGIN + "/embed/news/", document.baseURI) || ORIGIN + "/embed/news/"
    };
  }

  function load(opts) {
    var variables = { pageSize: opts.count, topic: opts.topic, images: opts.images };
    var url =
      ORIGIN +
      "/graphql/?query=" +
      encodeURIComponent(QUERY) +
      "&variables=" +
      encodeURIComponent(JSON.stringify(variables));
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    return fetch(url, {
      method: "GET",
      mode: "cors",
      credentials: "omit",
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok || !body || body.errors || !body.data || !body.data.news) {
            throw new Error("PSG news: the API answered HTTP " + response.status);
          }
          return body.data.news.items;
        });
      })
      .finally(function () {
        if (timer) clearTimeout(timer);
      });
  }

  function formatDate(iso, locale) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!parts) return iso || "";
    var date = new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3]));
    return new Intl.DateTimeFormat(locale, {
      day: "numeric",
      month: "long",
      year: "numeric",
      timeZone: "UTC"
    }).format(date);
  }

  function heading(opts, level) {
    var node = el("h" + level, "heading", opts.heading);
    node.id = "heading";
    node.setAttribute("part", "heading");
    return node;
  }

  function renderItems(root, opts, items) {
    var section = el("section");
    section.setAttribute("aria-labelledby", "heading");
    section.appendChild(heading(opts, opts.level));
    var list = el("ul");
    list.setAttribute("role", "list");
    list.setAttribute("part", "list");
    var moreUrl = null;
    items.forEach(function (item) {
      var href = safeUrl(item.url);
      if (!href) return;
      if (!moreUrl) moreUrl = new URL("../", href).href;
      var li = el("li");
      li.setAttribute("part", "item");
      var article = el("article");
      var image = item.mainImage;
      var src = image && image.rendition && safeUrl(image.rendition.url);
      if (src) {
        var img = el("img");
        img.src = src;
        if (image.srcset) {
          img.srcset = image.srcset;
          img.sizes = "(min-width: 30em) 24rem, 100vw";
        }
        img.width = image.rendition.width;
        img.height = image.rendition.height;
        img.alt = image.alt || "";
        img.loading = "lazy";
        img.decoding = "async";
        img.setAttribute("part", "image");
        article.appendChild(img);
      }
      var title = el("h" + (opts.level + 1), "title");
      var link = el("a", null, item.title);
      link.href = href;
      link.setAttribute("part", "link");
      title.appendChild(link);
      article.appendChild(title);
      var dateLine = el("p", "date");
      var time = el("time", null, formatDate(item.publicationDate, opts.locale));
      time.dateTime = item.publicationDate;
      dateLine.appendChild(time);
      article.appendChild(dateLine);
      if (item.summary) article.appendChild(el("p", "summary", item.summary));
      li.appendChild(article);
      list.appendChild(li);
    });
    if (list.children.length) {
      section.appendChild(list);
    } else {
      section.appendChild(el("p", "empty", opts.texts.empty));
    }
    var more = el("p", "more");
    var moreLink = el("a", null, opts.texts.more);
    moreLink.href = moreUrl || opts.fallbackUrl;
    more.appendChild(moreLink);
    section.appendChild(more);
    root.replaceChildren(section);
  }

  // The API lists no news for a topic it does not know; the iframe page says why it refuses one.
  function checkTopic(slug) {
    fetch(ORIGIN + "/embed/news/?count=1&topic=" + encodeURIComponent(slug), { credentials: "omit" })
      .then(function (response) {
        if (response.status === 400) {
          return response.text().then(function (reason) {
            warn('data-topic="' + slug + '" is refused: ' + reason);
          });
        }
      })
      .catch(function () {});
  }

  function renderFallback(root, opts) {
    var paragraph = el("p", "fallback");
    paragraph.setAttribute("part", "fallback");
    var link = el("a", null, opts.texts.fallback);
    link.href = opts.fallbackUrl;
    paragraph.appendChild(link);
    root.replaceChildren(paragraph);
  }

  var SELECTOR = "[data-psg-news]";

  // True when `host` is mounted now; false when it was already (by us or anything else that gave
  // it a shadow root) or cannot be.
  function mount(host) {
    if (!host || host.nodeType !== 1 || host.shadowRoot) return false;
    var root;
    try {
      root = host.attachShadow({ mode: "open" });
    } catch (e) {
      return false;
    }
    adoptStyles(root);
    var opts = options(host);
    var status = el("p", "loading", opts.texts.loading);
    status.setAttribute("role", "status");
    root.appendChild(status);
    host.setAttribute("aria-busy", "true");
    load(opts)
      .then(function (items) {
        renderItems(root, opts, items);
        if (opts.topic && !items.length) checkTopic(opts.topic);
      })
      .catch(function () {
        renderFallback(root, opts);
      })
      .finally(function () {
        host.removeAttribute("aria-busy");
      });
    return true;
  }

  function mountWithin(node) {
    if (node.nodeType !== 1) return;
    if (node.matches(SELECTOR)) mount(node);
    var hosts = node.querySelectorAll(SELECTOR);
    for (var i = 0; i < hosts.length; i++) mount(hosts[i]);
  }

  // Containers a page adds later (a React or Vue app, a block loaded by AJAX) or marks later.
  if (typeof MutationObserver === "function") {
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        if (record.type === "attributes") mountWithin(record.target);
        for (var i = 0; i < record.addedNodes.length; i++) mountWithin(record.addedNodes[i]);
      });
    }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-psg-news"] });
  }

  // For containers the observer cannot see, such as those inside the partner's own shadow roots.
  window.PSGNews = Object.freeze({ mount: mount });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      mountWithin(document.documentElement);
    });
  } else {
    mountWithin(document.documentElement);
  }
})();
