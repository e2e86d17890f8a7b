//! Text made safe for XML and HTML, in element content and in quoted attribute values alike:
//! junit.xml and report.html both carry what a server sent back, which may be markup.

use std::fmt;

/// `text`, displayed with `&`, `<`, `>`, `"` and `'` as character references, and with the
/// control characters XML 1.0 forbids (all below U+0020 but tab, line feed and carriage return)
/// as U+FFFD, so that any response body stays inert text in a well-formed document.
#[derive(Debug, Clone, Copy)]
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(needs_escape) {
            f.write_str(&rest[..at])?;
            let c = rest[at..].chars().next().unwrap_or_default();
            f.write_str(match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => "\u{fffd}",
            })?;
            rest = &rest[at + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

fn needs_escape(c: char) -> bool {
    matches!(c, '&' | '<' | '>' | '"' | '\'') || (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_forbidden_controls() {
        assert_eq!(Escaped("<&\"'>").to_string(), "&lt;&amp;&quot;&#39;&gt;");
        assert_eq!(Escaped("<script>alert(1)</script>").to_string(), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(Escaped("a\tb\nc\u{0}d\u{1b}é").to_string(), "a\tb\nc\u{fffd}d\u{fffd}é");
        assert_eq!(Escaped("plain").to_string(), "plain");
    }
}
