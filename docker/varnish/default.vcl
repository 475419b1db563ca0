vcl 4.1;
# PSG CMS: Varnish in front of the app (docker/compose.yaml; docs/deploy.md, "The HTTP cache tier").
#
# What is kept is what the app marks as cacheable, for as long as its Cache-Control says (GraphQL GET
# answers, feeds, the embed page, image renditions, public documents, static files), one copy per
# Vary. Nothing is kept for, nor served to, a request that carries a cookie (an editor), an
# Authorization header (an API key) or a preview token, nor any answer that sets a cookie.
#
# The app purges after every content change (api/edge_cache.py, through
# wagtail.contrib.frontend_cache): `PURGE <path>` on the `purge` listener drops every copy of the path
# (every query string, host and Vary variant), and `PURGE <prefix>*` everything under the prefix
# (`/graphql*`: every GraphQL answer, at /graphql and /graphql/). The purge listener is reachable
# only inside the compose network, and only from the addresses below.

import std;

# bench/varnish.py (make bench, tests/ops/test_varnish.py) replaces this line: keep it as it is.
backend app { .host = "app"; .port = "8000"; }

acl purgers {
    "127.0.0.1";
    "::1";
    # Container networks (compose's default network is one of these).
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}

sub vcl_recv {
    if (local.socket == "purge") {
        call psg_purge;
    }
    if (req.method == "PURGE" || req.method == "BAN") {
        return (synth(405, "Method Not Allowed"));
    }
    # Every answer carries a request id, hits included: the client's (or the proxy's) when the app
    # would accept it (cms/request_id.py), otherwise a new one; the app adopts it on a miss, so its
    # log lines and the answer agree.
    if (req.http.X-Request-ID !~ "^[A-Za-z0-9._-]{1,64}$") {
        set req.http.X-Request-ID = "varnish-" + std.integer(time=now) + "-" + req.xid;
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Signed-in editors, API keys and previews always reach the app (the app also answers them
    # with Cache-Control: no-store or private, which is not kept either).
    if (req.http.Cookie || req.http.Authorization) {
        return (pass);
    }
    # A preview's token travels in the query string (the `preview` field's argument or a variable).
    if (req.url ~ "(?i)\?.*(preview|token)") {
        return (pass);
    }
    # On to the builtin vcl_recv (host normalised, then looked up).
}

sub psg_purge {
    if (client.ip !~ purgers) {
        return (synth(403, "Forbidden"));
    }
    if (req.method != "PURGE") {
        return (synth(405, "Method Not Allowed"));
    }
    if (req.url ~ "\*$") {
        # CloudFront's notation, which the app sends every backend alike: a prefix.
        set req.http.X-Ban = "obj.http.X-Url-Path ~ ^" + regsuball(regsub(req.url, "\*$", ""), "([][\\.?+*()^$|{}])", "\\\1");
    } else {
        set req.http.X-Ban = "obj.http.X-Url-Path == " + regsub(req.url, "\?.*$", "");
    }
    # Bans on obj.* only: the ban lurker applies them in the background, so the ban list stays short.
    if (std.ban(req.http.X-Ban)) {
        return (synth(200, "Banned"));
    }
    return (synth(400, std.ban_error()));
}

sub vcl_hash {
    hash_data(req.url);
    if (req.http.Host) {
        hash_data(req.http.Host);
    } else {
        hash_data(server.ip);
    }
    # Absolute URLs in answers (feeds, images) follow the scheme the proxy in front reports.
    if (req.http.X-Forwarded-Proto) {
        hash_data(req.http.X-Forwarded-Proto);
    }
    return (lookup);
}

sub vcl_backend_response {
    # What a purge by path matches.
    set beresp.http.X-Url-Path = regsub(bereq.url, "\?.*$", "");
    if (beresp.http.X-Cache) {
        # The app's own response cache; X-Cache on the answer is this tier's.
        set beresp.http.X-Origin-Cache = beresp.http.X-Cache;
        unset beresp.http.X-Cache;
    }
    # Kept only when the app gave shared caches a lifetime: no heuristic TTL for what it left
    # unmarked (the redirects to the frontend, 404s, errors, the admin).
    if (beresp.http.Cache-Control !~ "(?i)(^|[,\s])(s-maxage|max-age)=[1-9]") {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # On to the builtin: never kept with Set-Cookie, no-store, no-cache, private or Vary: *.
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Cache = "pass";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
        unset resp.http.X-Origin-Cache;
    } else {
        set resp.http.X-Cache = "miss";
    }
    set resp.http.X-Request-ID = req.http.X-Request-ID;
    unset resp.http.X-Url-Path;
    # Names no software, as the app does.
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}

sub vcl_synth {
    unset resp.http.Server;
    unset resp.http.X-Varnish;
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.body = resp.reason + {"
"};
    return (deliver);
}

sub vcl_backend_error {
    unset beresp.http.Server;
    set beresp.http.Content-Type = "text/plain; charset=utf-8";
    set beresp.http.Retry-After = "5";
    set beresp.body = {"The CMS is not answering.
"};
    return (deliver);
}
