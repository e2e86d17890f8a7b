//! An exchange as report.html shows it: the request and the response as a reader knows them
//! from HTTP (request line, headers, pretty JSON body), with the part an evidence's JSON pointer
//! names wrapped in `<mark class="offending">`.
//!
//! The pointer is into the exchange's transcript line (`/response/status`,
//! `/response/headers/content-type`, `/response/body/Resources/0/userName`), so the view walks the
//! same structure as it writes: a pointer marks what it resolves to, and nothing when it names a
//! member that is absent (the absence may be the failure; the report says so in words).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use crate::transcript::Exchange;

use super::escaped::Escaped;

/// The rendered exchange and whether the pointer marked anything in it.
#[derive(Debug)]
pub(crate) struct ExchangeView {
    /// The HTML: a `div.exchange` holding a `section.request` and a `section.response`.
    pub html: String,
    /// Whether a `mark.offending` was written: false without a pointer, or when the pointer
    /// names nothing the exchange has.
    pub marked: bool,
}

impl ExchangeView {
    /// Renders `exchange`, marking what `pointer` names.
    pub fn of(exchange: &Exchange, pointer: Option<&str>) -> Self {
        let mut writer = Writer { out: String::new(), marked: false };
        let target = pointer.and_then(tokens);
        let target = target.as_deref().unwrap_or(&[]);
        writer.exchange(exchange, target);
        Self { html: writer.out, marked: writer.marked }
    }
}

/// A JSON pointer's reference tokens (RFC 6901 §3–4), or `None` when it is not a pointer.
/// The empty pointer, the whole exchange, gives no tokens: nothing is marked for it.
fn tokens(pointer: &str) -> Option<Vec<String>> {
    let rest = pointer.strip_prefix('/')?;
    Some(rest.split('/').map(|token| token.replace("~1", "/").replace("~0", "~")).collect())
}

/// The tokens below `name` when `target` starts with it.
fn below<'t>(target: &'t [String], name: &str) -> Option<&'t [String]> {
    match target.split_first() {
        Some((first, rest)) if first == name => Some(rest),
        _ => None,
    }
}

/// Whether the target is the node itself (no tokens left below it).
fn here(at: Option<&[String]>) -> bool {
    at.is_some_and(<[String]>::is_empty)
}

struct Writer {
    out: String,
    marked: bool,
}

impl Writer {
    /// Writes what `body` writes, inside a mark when `hit`.
    fn marked_if(&mut self, hit: bool, body: impl FnOnce(&mut Self)) {
        if hit {
            self.out.push_str("<mark class=\"offending\">");
            self.marked = true;
        }
        body(self);
        if hit {
            self.out.push_str("</mark>");
        }
    }

    fn text(&mut self, text: &str) {
        let _ = write!(self.out, "{}", Escaped(text));
    }

    fn exchange(&mut self, exchange: &Exchange, target: &[String]) {
        let request = &exchange.request;
        self.out.push_str("<div class=\"exchange\">\n<section class=\"request\"><h4>Request</h4><pre>");
        let at = below(target, "request");
        self.marked_if(here(at), |w| {
            let at = at.unwrap_or(&[]);
            w.marked_if(here(below(at, "method")), |w| w.text(&request.method));
            w.out.push(' ');
            w.marked_if(here(below(at, "path")), |w| w.text(&request.path));
            if let Some(query) = &request.query {
                w.out.push('?');
                w.marked_if(here(below(at, "query")), |w| w.text(query));
            }
            w.out.push('\n');
            w.headers(&request.headers, below(at, "headers"));
            w.body(request.body.as_ref(), below(at, "body"));
        });
        self.out.push_str("</pre></section>\n<section class=\"response\"><h4>Response</h4>");
        match &exchange.response {
            Some(response) => {
                self.out.push_str("<pre>");
                let at = below(target, "response");
                self.marked_if(here(at), |w| {
                    let at = at.unwrap_or(&[]);
                    w.out.push_str("HTTP ");
                    w.marked_if(here(below(at, "status")), |w| {
                        let _ = write!(w.out, "{}", response.status);
                    });
                    w.out.push('\n');
                    w.headers(&response.headers, below(at, "headers"));
                    w.body(response.body.as_ref(), below(at, "body"));
                });
                self.out.push_str("</pre>");
            }
            None => self.out.push_str("<p class=\"no-response\">No response.</p>"),
        }
        if let Some(error) = &exchange.error {
            self.out.push_str("<p class=\"error\">Error: ");
            self.marked_if(here(below(target, "error")), |w| w.text(error));
            self.out.push_str("</p>");
        }
        self.out.push_str("</section>\n<p class=\"exchange-meta\">");
        self.text(&exchange.step);
        let _ = write!(
            self.out,
            " · at {} · {} ms · {} dialect</p>\n</div>\n",
            Escaped(&exchange.scheduled_at),
            exchange.elapsed_ms,
            Escaped(&exchange.dialect)
        );
    }

    /// `name: value` lines; `at` is the target below `headers`, when the target is in them.
    fn headers(&mut self, headers: &BTreeMap<String, String>, at: Option<&[String]>) {
        self.marked_if(here(at), |w| {
            for (name, value) in headers {
                let hit = here(at.and_then(|at| below(at, name)));
                w.marked_if(hit, |w| {
                    let _ = write!(w.out, "{}: {}", Escaped(name), Escaped(value));
                });
                w.out.push('\n');
            }
        });
    }

    /// A blank line and the body as pretty JSON, or `(no body)`.
    fn body(&mut self, body: Option<&Value>, at: Option<&[String]>) {
        self.out.push('\n');
        match body {
            Some(value) => self.marked_if(here(at), |w| w.json(value, 0, at)),
            None => self.out.push_str("<span class=\"no-body\">(no body)</span>"),
        }
    }

    /// `value` pretty-printed (two spaces an indent level, as serde_json does); `at` is the
    /// target below `value`, when the target is in it. A targeted object member is marked with
    /// its name, so the reader sees which member is wrong.
    fn json(&mut self, value: &Value, indent: usize, at: Option<&[String]>) {
        let inner = "  ".repeat(indent + 1);
        match value {
            Value::Object(members) if !members.is_empty() => {
                self.out.push_str("{\n");
                for (i, (name, member)) in members.iter().enumerate() {
                    let member_at = at.and_then(|at| below(at, name));
                    self.out.push_str(&inner);
                    self.marked_if(here(member_at), |w| {
                        let name = Value::String(name.clone()).to_string();
                        let _ = write!(w.out, "{}: ", Escaped(&name));
                        w.json(member, indent + 1, member_at);
                    });
                    self.out.push_str(if i + 1 < members.len() { ",\n" } else { "\n" });
                }
                let _ = write!(self.out, "{}}}", "  ".repeat(indent));
            }
            Value::Array(items) if !items.is_empty() => {
                self.out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    let item_at = at.and_then(|at| below(at, &i.to_string()));
                    self.out.push_str(&inner);
                    self.marked_if(here(item_at), |w| w.json(item, indent + 1, item_at));
                    self.out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                let _ = write!(self.out, "{}]", "  ".repeat(indent));
            }
            scalar => self.text(&scalar.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::sample::sample_report;
    use super::*;

    fn exchange(check: usize) -> Exchange {
        sample_report().checks[check].evidence[0].exchange.clone()
    }

    #[test]
    fn marks_a_body_member_with_its_name() {
        let view = ExchangeView::of(&exchange(2), Some("/response/body/startIndex"));
        assert!(view.marked);
        assert!(view.html.contains("  <mark class=\"offending\">&quot;startIndex&quot;: 0</mark>,\n"), "{}", view.html);
        assert!(view.html.contains("GET /Users?filter=userName+eq+%22alice%40contoso.com%22\n"), "{}", view.html);
        assert_eq!(view.html.matches("<mark").count(), 1);
    }

    #[test]
    fn marks_a_header_the_status_and_array_items() {
        let page = exchange(1);
        let header = ExchangeView::of(&page, Some("/response/headers/content-type"));
        assert!(header.html.contains("<mark class=\"offending\">content-type: text/html; charset=utf-8</mark>\n"));
        let status = ExchangeView::of(&page, Some("/response/status"));
        assert!(status.html.contains("HTTP <mark class=\"offending\">502</mark>\n"));
        let op = ExchangeView::of(&page, Some("/request/body/Operations/0/op"));
        assert!(
            op.html.contains("<mark class=\"offending\">&quot;op&quot;: &quot;replace&quot;</mark>"),
            "{}",
            op.html
        );
        let item = ExchangeView::of(&page, Some("/request/body/schemas/0"));
        assert!(item.html.contains(
            "&quot;schemas&quot;: [\n    <mark class=\"offending\">&quot;urn:ietf:params:scim:api:messages:2.0:PatchOp&quot;</mark>\n  ]"
        ), "{}", item.html);
    }

    #[test]
    fn escapes_bodies_and_marks_nothing_that_is_absent() {
        let page = exchange(1);
        let view = ExchangeView::of(&page, Some("/response/body/detail"));
        assert!(!view.marked && !view.html.contains("<mark"));
        assert!(!view.html.contains("<script>"));
        assert!(view.html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(view.html.contains("authorization: [redacted]"));
        assert!(!ExchangeView::of(&page, None).marked);
        assert!(!ExchangeView::of(&page, Some("")).marked);
    }

    #[test]
    fn an_unanswered_exchange_shows_its_error() {
        let view = ExchangeView::of(&sample_report().checks[3].evidence[0].exchange, Some("/error"));
        assert!(view.marked && view.html.contains("No response."));
        assert!(view.html.contains("Error: <mark class=\"offending\">connection reset by peer</mark>"));
    }

    #[test]
    fn pointer_tokens_unescape() {
        assert_eq!(tokens("/a~1b/c~0d"), Some(vec!["a/b".to_string(), "c~d".to_string()]));
        assert_eq!(tokens(""), None);
        assert_eq!(tokens("/"), Some(vec![String::new()]));
    }
}
